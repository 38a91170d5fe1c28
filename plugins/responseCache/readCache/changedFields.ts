type Document = Record<string, unknown>

/** A related document compares by its id: the same relation at another depth is no change. */
const toComparable = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(toComparable)
  if (value && typeof value === 'object' && 'id' in value) return (value as { id: unknown }).id
  return value
}

const sameValue = (left: unknown, right: unknown): boolean =>
  JSON.stringify(toComparable(left)) === JSON.stringify(toComparable(right))

/**
 * With drafts, Payload hands hooks the latest version as the previous document. A draft is newer
 * than the row readers were answered from: an update over it writes the draft's fields and status
 * into that row, so comparing with the draft misses what readers see change.
 */
const isDraftVersion = (document: Document) => document._status === 'draft'

/**
 * The top-level fields whose values differ between two versions of a document, or undefined when
 * there is no previous version to compare with (a create) or it is a draft: then every field
 * counts as changed.
 */
export const changedFields = (
  previous: Document | undefined,
  next: Document,
): string[] | undefined => {
  if (!previous || Object.keys(previous).length === 0 || isDraftVersion(previous)) return undefined
  const names = new Set([...Object.keys(previous), ...Object.keys(next)])
  return [...names].filter((name) => !sameValue(previous[name], next[name]))
}
