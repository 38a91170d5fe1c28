import type { CacheChange } from '../types'

/**
 * Where a change came from: the replica that announced it (random per instance) and its place in
 * that replica's announcements, so a listener can tell it missed one.
 */
export type ChangeOrigin = { sender: string; sequence: number }

/**
 * The NOTIFY payload that tells every replica what changed. `slug` is what the previous release
 * read: replicas still running it during a rolling deploy keep getting their revalidation tag.
 */
export const toChangeMessage = (change: CacheChange, origin?: ChangeOrigin): string =>
  JSON.stringify({ ...change, slug: changedSlug(change), ...origin })

const isDocumentId = (value: unknown): value is number | string | undefined =>
  value === undefined || typeof value === 'number' || typeof value === 'string'

const isFieldList = (value: unknown): value is string[] | undefined =>
  value === undefined || (Array.isArray(value) && value.every((field) => typeof field === 'string'))

const parseChange = (value: Record<string, unknown>): CacheChange | undefined => {
  const { collection, global, id, fields } = value
  if (typeof collection === 'string' && global === undefined && isDocumentId(id)) {
    if (!isFieldList(fields)) return undefined
    return {
      collection,
      ...(id === undefined ? {} : { id }),
      ...(fields === undefined ? {} : { fields }),
    }
  }
  if (typeof global === 'string' && collection === undefined && id === undefined) return { global }
  return undefined
}

const parseOrigin = ({ sender, sequence }: Record<string, unknown>): ChangeOrigin | undefined =>
  typeof sender === 'string' && Number.isSafeInteger(sequence)
    ? { sender, sequence: sequence as number }
    : undefined

/**
 * A change read back from a NOTIFY payload, with its origin when the sender numbered it. `change`
 * is undefined when the payload names nothing this version understands (a replica on an older
 * version, a hand-written NOTIFY): the caller then treats everything as changed.
 */
export const parseChangeMessage = (
  message: string,
): { change: CacheChange | undefined; origin: ChangeOrigin | undefined } => {
  let value: unknown
  try {
    value = JSON.parse(message)
  } catch {
    return { change: undefined, origin: undefined }
  }
  if (!value || typeof value !== 'object') return { change: undefined, origin: undefined }
  const record = value as Record<string, unknown>
  return { change: parseChange(record), origin: parseOrigin(record) }
}

/** The slug a change is about, e.g. for revalidation tags. */
export const changedSlug = (change: CacheChange | undefined): string =>
  change?.collection ?? change?.global ?? ''
