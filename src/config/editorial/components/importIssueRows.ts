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
    .map((issue) => ({
      row: String(issue.row ?? ''),
      column: String(issue.column ?? ''),
      reason: String(issue.error ?? ''),
    }))
