/** `query_canceled`: PostgreSQL's answer when the statement timeout (or a cancel) ends a query. */
const queryCanceledState = '57014'

type WrappedError = { code?: unknown; cause?: unknown; originalError?: unknown }

/** Whether PostgreSQL cancelled the statement: the error, or one it wraps (drizzle's, GraphQL's). */
export const isStatementTimeoutError = (error: unknown): boolean => {
  let current: unknown = error
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const { code, cause, originalError } = current as WrappedError
    if (code === queryCanceledState) return true
    current = originalError ?? cause
  }
  return false
}

export const statementTimeoutMessage = (statementTimeoutMs: number) =>
  `The query ran longer than the ${statementTimeoutMs} ms an anonymous query may take and was stopped: ask for less (fewer conditions, a smaller limit) or try again later.`
