import type http from 'node:http'

import type { RequestLogContext } from '../observability/requestContext'
import type { Route, RouteTable } from '../routes'
import type { SessionToken } from '../security/authorizationToken'

/** What the HTTP server knows about the request being served; made by `openRequest`. */
export type RequestContext = {
  req: http.IncomingMessage
  res: http.ServerResponse
  /** Kept from a well-formed incoming X-Request-Id, else new; Payload and the client see it too. */
  reqId: string
  /** The URL's path as it came off the wire, without the query. */
  pathname: string
  route: Route
  /** `process.hrtime.bigint()` when the request arrived. */
  startedAt: bigint
  /** Lines written while serving the request, Payload's included, carry its id. */
  logContext: RequestLogContext
  /** The request's session token: verified at most once per request, and only when asked for. */
  getSessionToken: () => Promise<SessionToken>
}

/** Where a request's route and session token come from: the server's, for every request. */
export type RequestContextSources = {
  routeTable: RouteTable
  readSessionToken: (headers: http.IncomingHttpHeaders) => Promise<SessionToken>
}

/**
 * A request's context: its route from its path (which the caller has cut from the URL), and its
 * session token read at most once, when first asked for. Both the middleware chain and the
 * cache-hit fast lane make theirs here.
 */
export const createRequestContext = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  {
    reqId,
    pathname,
    startedAt,
    logContext,
  }: Pick<RequestContext, 'reqId' | 'pathname' | 'startedAt' | 'logContext'>,
  { routeTable, readSessionToken }: RequestContextSources,
): RequestContext => {
  // Runs for every cache hit too: a literal of one shape, no spread.
  let sessionToken: Promise<SessionToken> | undefined
  return {
    req,
    res,
    reqId,
    pathname,
    route: routeTable.classify(pathname),
    startedAt,
    logContext,
    getSessionToken: () => (sessionToken ??= readSessionToken(req.headers)),
  }
}

/** A middleware's word that it has answered the request: the steps after it do not run. */
export const answered = 'answered' as const

/**
 * One step of serving a request. It returns `answered` once it has sent (or begun sending) the
 * response; anything else hands the request to the next step.
 */
export type Middleware = (
  context: RequestContext,
) => typeof answered | void | Promise<typeof answered | void>

/** A JSON answer that no cache keeps, in the shape of the API's own answers. */
export const sendJson = (res: http.ServerResponse, status: number, body: unknown): void => {
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
  })
  res.end(JSON.stringify(body))
}

/** An error answer in Payload's error shape, with the request id a user can report. */
export const sendError = (
  { res, reqId }: RequestContext,
  status: number,
  error: { message: string; data?: unknown },
): void => sendJson(res, status, { errors: [error], requestId: reqId })
