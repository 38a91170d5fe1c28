/** One refused import row, as the `imports` document's summary lists it. */
export type ImportIssue = {
  /** The row's number in the file: 1 is the first row under the CSV header (the first JSON entry). */
  row: number
  /** The column (CSV) or field (JSON) at fault; `row` when the whole row is. */
  column: string
  /** `"<column>: <reason>"`, one per fault, joined by `; `. */
  error: string
  /** The row as it was read, for the editor to fix and re-import. */
  data: Record<string, unknown>
}

type FieldFault = { column: string; reason: string }

type PayloadFieldError = { path?: unknown; message?: unknown }

/** A field path as the CSV names the column: `tags.0` → `tags_0`. */
const toColumnName = (path: string) => path.replace(/\./g, '_')

/** The per-field faults of a Payload ValidationError (its `data.errors`), if it is one. */
export const fieldFaultsOf = (error: unknown): FieldFault[] => {
  const errors = (error as { data?: { errors?: unknown } } | null | undefined)?.data?.errors
  if (!Array.isArray(errors)) return []
  return (errors as PayloadFieldError[])
    .filter((entry) => typeof entry?.path === 'string' && typeof entry.message === 'string')
    .map((entry) => ({
      column: toColumnName(entry.path as string),
      reason: entry.message as string,
    }))
}

const missingMatchValue = /^Match field "(.+)" not found in document$/
const noMatchingDocument = /^Document with (.+)="(.*)" not found$/

/**
 * What the plugin's one-line message of a refused row says, as column and reason: it names the
 * match column for rows it could not match, and nothing else (a ValidationError's message lists
 * field labels without the reasons, which `fieldFaultsOf` recovers).
 */
export const faultFromMessage = (message: string): FieldFault => {
  const missing = missingMatchValue.exec(message)
  if (missing) {
    return { column: missing[1], reason: 'empty; update and upsert find the document by it' }
  }
  const unmatched = noMatchingDocument.exec(message)
  if (unmatched) {
    return { column: unmatched[1], reason: `no document has ${unmatched[1]} "${unmatched[2]}"` }
  }
  return { column: 'row', reason: message }
}

/** The summary entry of a refused row: its faults, or else what the plugin's message says. */
export const toImportIssue = ({
  row,
  data,
  message,
  faults,
}: {
  row: number
  data: Record<string, unknown>
  message: string
  faults: FieldFault[]
}): ImportIssue => {
  const found = faults.length > 0 ? faults : [faultFromMessage(message)]
  return {
    row,
    column: found.map((fault) => fault.column).join(', '),
    error: found.map((fault) => `${fault.column}: ${fault.reason}`).join('; '),
    data,
  }
}
