export const redactedValue = '[redacted]'

/** Timestamps change on every write; listing them in every diff would only add noise. */
const ignoredInDiffs = new Set(['updatedAt', 'createdAt'])

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/** A JSON-safe deep copy with the named fields replaced by "[redacted]" at any depth. */
export const redactDocument = (value: unknown, redactedFields: ReadonlySet<string>): Json => {
  if (value === null || value === undefined) return null
  if (value instanceof Date) return value.toISOString()
  if (Array.isArray(value)) return value.map((entry) => redactDocument(entry, redactedFields))
  if (typeof value === 'object') {
    const copy: Record<string, Json> = {}
    for (const [key, entry] of Object.entries(value)) {
      if (entry === undefined) continue
      copy[key] = redactedFields.has(key) ? redactedValue : redactDocument(entry, redactedFields)
    }
    return copy
  }
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean')
    return value
  return String(value)
}

export type FieldChange = { path: string; before: Json; after: Json }

const isRecord = (value: Json): value is { [key: string]: Json } =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Field-level differences between two redacted documents, as dotted paths. Objects are compared
 * key by key; arrays and scalars as whole values, so a reordered gallery is one change.
 * Redacted fields never show up: their values cannot be compared (a password change is reported
 * from the request instead).
 */
export const diffDocuments = (before: Json, after: Json, path = ''): FieldChange[] => {
  if (isRecord(before) && isRecord(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()
    return keys
      .filter((key) => !(path === '' && ignoredInDiffs.has(key)))
      .flatMap((key) =>
        diffDocuments(before[key] ?? null, after[key] ?? null, path ? `${path}.${key}` : key),
      )
  }
  // A redacted value cannot be compared; a hidden field that one side lacks is not a change either.
  if (
    (before === redactedValue || before === null) &&
    (after === redactedValue || after === null)
  ) {
    if (before !== after) return []
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path, before, after }]
}
