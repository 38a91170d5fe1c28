import type { AfterErrorHook } from 'payload'

import {
  recordDatabaseFailure,
  runInDatabaseFailureScope,
  type DatabaseFailureScope,
} from '../../database/failureScope'
import { getDatabaseOutageMonitor } from '../../database/outageMonitor'
import {
  databaseRetryAfterSeconds,
  databaseUnavailableMessage,
  isDatabaseUnavailableError,
} from '../../database/unavailable'
import { getAppMetrics } from '../../server/observability/metrics'
import { requestIdHeader } from '../../server/observability/requestId'

const withRetryAfter = (headers: Headers | undefined): Headers => {
  const merged = new Headers(headers)
  merged.set('Retry-After', String(databaseRetryAfterSeconds))
  return merged
}

/**
 * An outage is not a bug in the request: answer 503 with Retry-After and a message a client can
 * act on, instead of Payload's 500 "Something went wrong." (GraphQL: that error, with status 503).
 * The REST header goes through `req.responseHeaders`, which Payload adds to its error answer; on
 * GraphQL a Retry-After would read as rate limiting to the status wrapper, so the route wrapper
 * ({@link withDatabaseUnavailableAnswer}) adds it. The cause is logged once per outage by the
 * outage monitor, not here.
 */
export const databaseUnavailableAfterErrorHook: AfterErrorHook = ({
  error,
  graphqlResult,
  req,
}) => {
  if (!isDatabaseUnavailableError(error)) return
  recordDatabaseFailure(error)
  if (graphqlResult) {
    return {
      graphqlResult: {
        ...graphqlResult,
        message: databaseUnavailableMessage,
        extensions: {
          ...graphqlResult.extensions,
          name: 'DatabaseUnavailable',
          statusCode: 503,
        },
      },
    }
  }
  req.responseHeaders = withRetryAfter(req.responseHeaders)
  return { status: 503, response: { errors: [{ message: databaseUnavailableMessage }] } }
}

type RouteHandler<Args extends unknown[]> = (request: Request, ...args: Args) => Promise<Response>

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS'])

/** Headers a replacement answer keeps, so a browser on an allowed origin can still read it. */
const isCorsHeader = (name: string) => name.startsWith('access-control-') || name === 'vary'

/**
 * Whether an answer may have been shaped by a database call that failed. A refusal or an error may
 * (a failed user lookup makes a signed-in client anonymous, and anonymous clients are refused),
 * and so may a read made with credentials (it was answered as if anonymous). A successful write
 * committed, and must not be retried; an anonymous read that succeeded did not need the database
 * (the catalog from memory).
 */
const mayDependOnFailure = (request: Request, response: Response): boolean =>
  response.status >= 400 ||
  (safeMethods.has(request.method) &&
    (request.headers.has('authorization') || request.headers.has('cookie')))

const answerUnavailable = (request: Request, failure: unknown, answered?: Response): Response => {
  getDatabaseOutageMonitor().recordFailure(failure)
  getAppMetrics().dbUnavailableResponses.inc()
  const headers = new Headers({
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
    'Retry-After': String(databaseRetryAfterSeconds),
  })
  answered?.headers.forEach((value, name) => {
    if (isCorsHeader(name)) headers.set(name, value)
  })
  const requestId = request.headers.get(requestIdHeader) ?? undefined
  return new Response(
    JSON.stringify({ errors: [{ message: databaseUnavailableMessage }], requestId }),
    { status: 503, headers },
  )
}

/**
 * Around an API route handler: when the database could not be reached while the request was
 * served, its answer is 503 with Retry-After, whoever caught the failure. Payload's error handling
 * answers what reaches it (see {@link databaseUnavailableAfterErrorHook}); this also covers what
 * does not: a failed user lookup swallowed by the JWT strategy (the request is then refused as
 * anonymous, e.g. the two-factor endpoints' 401) and errors thrown past Payload's handler.
 */
export const withDatabaseUnavailableAnswer =
  <Args extends unknown[]>(handler: RouteHandler<Args>): RouteHandler<Args> =>
  (request, ...args) => {
    const scope: DatabaseFailureScope = {}
    return runInDatabaseFailureScope(scope, async () => {
      let response: Response
      try {
        response = await handler(request, ...args)
      } catch (error) {
        const failure = scope.failure ?? (isDatabaseUnavailableError(error) ? error : undefined)
        if (failure === undefined) throw error
        return answerUnavailable(request, failure)
      }
      if (scope.failure === undefined || !mayDependOnFailure(request, response)) return response
      return answerUnavailable(request, scope.failure, response)
    })
  }
