import type { AfterErrorHook } from 'payload'

import type { SanitizedPublicQueriesOptions } from '../types'
import {
  isStatementTimeoutError,
  statementTimeoutMessage,
} from '../utilities/statementTimeoutError'

/**
 * A statement stopped by the statement timeout is answered 503 with a message saying so, instead
 * of Payload's 500 "Something went wrong." Payload has already logged it with its query.
 */
export const getStatementTimeoutAfterErrorHook =
  ({ options }: { options: SanitizedPublicQueriesOptions }): AfterErrorHook =>
  ({ error, graphqlResult }) => {
    if (!isStatementTimeoutError(error)) return
    const message = statementTimeoutMessage(options.statementTimeoutMs)
    if (graphqlResult) {
      return {
        graphqlResult: {
          ...graphqlResult,
          message,
          extensions: { ...graphqlResult.extensions, name: 'StatementTimeout', statusCode: 503 },
        },
      }
    }
    return { status: 503, response: { errors: [{ message }] } }
  }
