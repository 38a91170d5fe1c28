import type { CacheChange } from '../types'

/**
 * The NOTIFY payload that tells every replica what changed. `slug` is what the previous release
 * read: replicas still running it during a rolling deploy keep getting their revalidation tag.
 */
export const toChangeMessage = (change: CacheChange): string =>
  JSON.stringify({ ...change, slug: changedSlug(change) })

const isDocumentId = (value: unknown): value is number | string | undefined =>
  value === undefined || typeof value === 'number' || typeof value === 'string'

/**
 * A change read back from a NOTIFY payload, or undefined when the payload names nothing this
 * version understands (a replica on an older version, a hand-written NOTIFY): the caller then
 * treats everything as changed.
 */
export const parseChangeMessage = (message: string): CacheChange | undefined => {
  let value: unknown
  try {
    value = JSON.parse(message)
  } catch {
    return undefined
  }
  if (!value || typeof value !== 'object') return undefined
  const { collection, global, id } = value as Record<string, unknown>
  if (typeof collection === 'string' && global === undefined && isDocumentId(id))
    return id === undefined ? { collection } : { collection, id }
  if (typeof global === 'string' && collection === undefined && id === undefined) return { global }
  return undefined
}

/** The slug a change is about, e.g. for revalidation tags. */
export const changedSlug = (change: CacheChange | undefined): string =>
  change?.collection ?? change?.global ?? ''
