import type { PublicQueriesPluginOptions, SanitizedPublicQueriesOptions } from './types'

export const defaultStatementTimeoutMs = 2000

/**
 * A read that ended without its afterOperation hook (an early return Payload makes with
 * `disableErrors`, or an error another operation on the same request rolled back) would hold its
 * connection forever; it is rolled back after this long instead. Far longer than any read: each
 * statement is already bounded by the statement timeout.
 */
export const abandonedTransactionMs = 30_000

/** The name of the 400 a read gets when it asks for something a reader may not. */
export const queryNotAllowedErrorName = 'QueryNotAllowedError'

export const sanitizePublicQueriesOptions = (
  options: PublicQueriesPluginOptions,
): SanitizedPublicQueriesOptions => ({
  statementTimeoutMs: options.statementTimeoutMs ?? defaultStatementTimeoutMs,
  checkWhere: options.checkWhere,
})
