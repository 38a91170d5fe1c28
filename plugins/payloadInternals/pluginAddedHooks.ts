import type { CollectionAfterChangeHook, Config } from 'payload'

type WrapAddedAfterChangeHooksArgs = {
  /** The config before the plugin ran. */
  before: Config
  /** The config the plugin returned. */
  after: Config
  /** The collection whose hooks to wrap. */
  collection: string
  wrap: (hook: CollectionAfterChangeHook) => CollectionAfterChangeHook
}

const afterChangeHooksOf = (config: Config, slug: string) =>
  config.collections?.find((candidate) => candidate.slug === slug)?.hooks?.afterChange ?? []

/**
 * `after`, with the `afterChange` hooks a plugin added to one collection wrapped, and nothing else
 * changed. Internal: the plugin's hooks are found by array position — those past the ones the
 * collection had before it ran — since plugins such as `@payloadcms/plugin-cloud-storage` append
 * their hooks without a name or any other mark to find them by.
 */
export const wrapAfterChangeHooksAddedByPlugin = ({
  before,
  after,
  collection,
  wrap,
}: WrapAddedAfterChangeHooksArgs): Config => {
  const existingCount = afterChangeHooksOf(before, collection).length
  return {
    ...after,
    collections: after.collections?.map((candidate) => {
      if (candidate.slug !== collection) return candidate
      const afterChange = candidate.hooks?.afterChange ?? []
      return {
        ...candidate,
        hooks: {
          ...candidate.hooks,
          afterChange: [
            ...afterChange.slice(0, existingCount),
            ...afterChange.slice(existingCount).map(wrap),
          ],
        },
      }
    }),
  }
}
