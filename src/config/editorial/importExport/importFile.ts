import { parse } from 'csv-parse/sync'

export type ImportFormat = 'csv' | 'json'

/** What an import file may be; the plugin's job reads the format from the stored MIME type. */
const formatByMimeType: Record<string, ImportFormat> = {
  'text/csv': 'csv',
  'application/json': 'json',
}

export type ImportFileLimits = { maxBytes: number; maxRows: number }

export type ImportFileProblem = {
  /** 413 for a file over the size limit, 415 for another type, 400 for anything else. */
  status: 400 | 413 | 415
  message: string
}

export type CheckedImportFile =
  | { isAcceptable: true; format: ImportFormat; rowCount: number }
  | { isAcceptable: false; problem: ImportFileProblem }

const refuse = (status: ImportFileProblem['status'], message: string): CheckedImportFile => ({
  isAcceptable: false,
  problem: { status, message },
})

/** The MIME type without parameters (`text/csv; charset=utf-8` → `text/csv`). */
const baseMimeType = (mimeType: string | undefined) =>
  (mimeType ?? '').split(';')[0].trim().toLowerCase()

/**
 * What browsers and tools send as the type of a `.csv` file besides `text/csv`: Windows with Excel
 * installed registers `.csv` as `application/vnd.ms-excel`, and some clients know no type at all.
 */
const csvMimeTypeAliases = new Set([
  'application/vnd.ms-excel',
  'application/csv',
  'text/x-csv',
  'text/comma-separated-values',
  'application/octet-stream',
])

/**
 * The type an import file is stored and parsed as: a `.csv` file sent under one of the aliases
 * above is a CSV (its content is still parsed, and refused with a 400 when it is not one).
 */
export const toImportMimeType = ({
  mimeType,
  filename,
}: {
  mimeType: string | undefined
  filename: string | undefined
}): string | undefined =>
  filename?.toLowerCase().endsWith('.csv') && csvMimeTypeAliases.has(baseMimeType(mimeType))
    ? 'text/csv'
    : mimeType

/** How many records a CSV holds, parsed as the plugin parses it; throws on malformed CSV. */
const countCsvRows = (data: Buffer): number =>
  (
    parse(data, { bom: true, columns: true, skip_empty_lines: true, trim: true }) as Record<
      string,
      unknown
    >[]
  ).length

const countJsonRows = (data: Buffer): number | string => {
  const parsed: unknown = JSON.parse(data.toString('utf8'))
  if (!Array.isArray(parsed)) return 'A JSON import must be an array of documents.'
  if (!parsed.every((row) => typeof row === 'object' && row !== null && !Array.isArray(row))) {
    return 'Every entry of a JSON import must be an object (one document).'
  }
  return parsed.length
}

/**
 * Checks an uploaded import file before anything is stored or queued, so a file the job could not
 * read is refused with a 4xx at once instead of becoming a failed import later: its size, its
 * type, that it parses (as the plugin will parse it) and its number of rows.
 */
export const checkImportFile = (
  { data, mimeType }: { data: Buffer; mimeType: string | undefined },
  { maxBytes, maxRows }: ImportFileLimits,
): CheckedImportFile => {
  if (data.length > maxBytes) {
    return refuse(
      413,
      `The file is ${data.length} bytes; an import takes at most ${maxBytes} bytes. Split it into several files.`,
    )
  }
  const format = formatByMimeType[baseMimeType(mimeType)]
  if (!format) {
    return refuse(415, 'Upload a CSV (text/csv) or JSON (application/json) file.')
  }
  let rowCount: number
  try {
    const counted = format === 'csv' ? countCsvRows(data) : countJsonRows(data)
    if (typeof counted === 'string') return refuse(400, counted)
    rowCount = counted
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    return refuse(400, `The file is not valid ${format.toUpperCase()}: ${reason}`)
  }
  if (rowCount === 0) return refuse(400, 'The file has no rows to import.')
  if (rowCount > maxRows) {
    return refuse(
      413,
      `The file has ${rowCount} rows; an import takes at most ${maxRows}. Split it into several files.`,
    )
  }
  return { isAcceptable: true, format, rowCount }
}
