import type { Config } from 'payload'

import { appendHooks } from '../pluginKit'
import { getNoteDeletedFilesHook, getNoteReplacedFilesHook } from './hooks/noteRemovedFiles'
import type { CdnPurgePluginOptions } from './types'
import { startCdnPurge } from './utilities/instancePurge'

export type {
  CdnPurgeEvent,
  CdnPurgePluginOptions,
  CloudflareTargetOptions,
  EdgePurge,
  FilePurgeOptions,
  PurgeRequest,
  PurgeTargets,
} from './types'
export {
  createCdnPurger,
  type CdnPurger,
  type CreateCdnPurgerArgs,
} from './utilities/createCdnPurger'
export { purgeFromCdn, stopCdnPurge, useCdnPurger } from './utilities/instancePurge'
export { hasPurgeTargets } from './utilities/sanitizeOptions'

/**
 * Purges a CDN (Cloudflare, by `Cache-Tag`) and HTTP caches you run (Varnish, by `xkey`) when the
 * response cache says so, batched, within the CDN's rate limit, retried, falling back to coarser
 * keys; and the URLs of deleted or replaced upload files. Returns a new config; never mutates its
 * input.
 */
export const cdnPurgePlugin =
  (options: CdnPurgePluginOptions = {}) =>
  (incoming: Config): Config => {
    if (options.disabled) return { ...incoming }
    const fileCollections = new Set<string>(options.files?.collections ?? [])
    const urlPrefixes = options.files?.urlPrefixes ?? []
    const collections = (incoming.collections ?? []).map((collection) =>
      fileCollections.has(collection.slug)
        ? appendHooks(collection, {
            afterChange: [getNoteReplacedFilesHook({ urlPrefixes })],
            afterDelete: [getNoteDeletedFilesHook({ urlPrefixes })],
          })
        : collection,
    )
    return {
      ...incoming,
      collections,
      onInit: async (payload) => {
        await incoming.onInit?.(payload)
        startCdnPurge(payload, options)
      },
    }
  }
