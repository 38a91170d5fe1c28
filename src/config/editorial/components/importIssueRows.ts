export type ImportIssueRow = { row: string; column: string; reason: string }

/**
 * The stored `summary.issueDetails` of an import as table rows. The field is JSON: anything that
 * is not a list of objects shows as no rows rather than breaking the page.
 */
export const toImportIssueRows = (issueDetails: unknown): ImportIssueRow[] =>
  (Array.isArray(issueDetails) ? issueDetails : [])
    .filter(
      (issue): issue is Record<string, unknown> => typeof issue === 'object' && issue !== null,
    )
    .map((issue) => {
      const column = String(issue.column ?? '')
      const error = String(issue.error ?? '')
      // The stored message names its column for API readers; the table has a column for that.
      const reason =
        column && error.startsWith(`${column}: `) ? error.slice(column.length + 2) : error
      return { row: String(issue.row ?? ''), column, reason }
    })
