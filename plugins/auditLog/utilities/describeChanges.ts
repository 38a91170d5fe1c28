/** One changed field of an update, with both values ready to print. */
export type ChangedFieldRow = { path: string; before: string; after: string }

/** One field of a snapshot (create, delete) or of any other recorded detail, ready to print. */
export type ValueRow = { path: string; value: string }

/**
 * What the admin shows of a row's `changes`: the changed fields of an update, the fields of a
 * snapshot, or, for anything the plugin did not write itself, the JSON as it is.
 */
export type ChangesView =
  | { kind: 'empty' }
  | { kind: 'changedFields'; rows: ChangedFieldRow[] }
  | { kind: 'values'; rows: ValueRow[] }
  | { kind: 'json'; text: string }

/** How an empty value (a field cleared, or absent on one side) reads in the admin. */
export const emptyValueText = '(empty)'

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const isChangedField = (
  value: unknown,
): value is { path: string; before: unknown; after: unknown } =>
  isRecord(value) && typeof value.path === 'string' && 'before' in value && 'after' in value

/**
 * A value as text: strings as they are (quoted only when empty), numbers and booleans as
 * written, objects and arrays as indented JSON, null and undefined as "(empty)".
 */
export const formatAuditValue = (value: unknown): string => {
  if (value === null || value === undefined) return emptyValueText
  if (typeof value === 'string') return value === '' ? '""' : value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return JSON.stringify(value, null, 2) ?? String(value)
}

const valueRows = (record: Record<string, unknown>): ValueRow[] =>
  Object.entries(record).map(([path, value]) => ({ path, value: formatAuditValue(value) }))

/**
 * Reads the `changes` JSON of an audit row as the plugin writes it: `{ fields: [{ path, before,
 * after }] }` for updates, `{ snapshot }` for creates and deletes, small objects such as
 * `{ reason }` for failed logins. Pure, so the admin component only lays it out.
 */
export const describeChanges = (changes: unknown): ChangesView => {
  if (changes === null || changes === undefined) return { kind: 'empty' }
  if (isRecord(changes)) {
    const { fields, snapshot } = changes
    const isOnly = (key: string) => Object.keys(changes).length === 1 && key in changes
    if (isOnly('fields') && Array.isArray(fields) && fields.every(isChangedField)) {
      if (fields.length === 0) return { kind: 'empty' }
      const rows = fields.map((field) => ({
        path: field.path,
        before: formatAuditValue(field.before),
        after: formatAuditValue(field.after),
      }))
      return { kind: 'changedFields', rows }
    }
    if (isOnly('snapshot') && isRecord(snapshot))
      return { kind: 'values', rows: valueRows(snapshot) }
    if (Object.keys(changes).length === 0) return { kind: 'empty' }
    return { kind: 'values', rows: valueRows(changes) }
  }
  return { kind: 'json', text: formatAuditValue(changes) }
}
