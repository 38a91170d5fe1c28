/**
 * Spreadsheets run a cell whose text starts with one of these as a formula (OWASP "CSV
 * injection"): `=`, `+`, `-`, `@`, a tab or a carriage return.
 */
const formulaTriggers = new Set(['=', '+', '-', '@', '\t', '\r'])

/** True when a spreadsheet opening this cell's text would treat it as a formula. */
export const isFormulaLike = (text: string): boolean => formulaTriggers.has(text.charAt(0))

/**
 * Formula-like once any leading quotes are taken off. Text already quoted that way gets one quote
 * more on export and loses one on import, so every text makes the round trip unchanged.
 */
const isQuotableFormula = (text: string): boolean => isFormulaLike(text.replace(/^'+/, ''))

/**
 * The OWASP rule: a leading single quote makes a spreadsheet show the text as it is. Only text is
 * touched: a number stays a number (a negative price would be one, and prices are never negative
 * here anyway), so numeric columns still round-trip through an import.
 */
export const neutraliseFormulaCell = (value: unknown): unknown =>
  typeof value === 'string' && isQuotableFormula(value) ? `'${value}` : value

/** A CSV row with every formula-like text cell neutralised; the row passed in is left as it is. */
export const neutraliseFormulaRow = (row: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(
    Object.entries(row).map(([column, value]) => [column, neutraliseFormulaCell(value)]),
  )

/**
 * The inverse of {@link neutraliseFormulaCell}, for CSV imports: an exported file edited and
 * imported back stores `=SUM(1)`, not `'=SUM(1)`. A quote before other text is kept.
 */
export const restoreFormulaCell = (value: unknown): unknown =>
  typeof value === 'string' && value.startsWith("'") && isQuotableFormula(value)
    ? value.slice(1)
    : value

/** Every text in an imported document (nested groups and arrays included), restored. */
export const restoreFormulaValues = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(restoreFormulaValues)
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, nested]) => [key, restoreFormulaValues(nested)]),
    )
  }
  return restoreFormulaCell(value)
}
