import type http from 'node:http'

import { requestIdHeader, resolveRequestId } from '../observability/requestId'
import { pathOfUrl, type RouteTable } from '../routes'
import type { SessionToken } from '../security/authorizationToken'
import { hasCredentials } from '../security/privateResponses'
import { applySecurityHeaders, type SecurityHeaderSettings } from '../security/securityHeaders'
import { createRequestContext, type RequestContext } from './types'

/** Answers a repeat of a cached read by its exact URL, with these headers first; else false. */
export type ServeCachedReadByUrl = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  leadingHeaders: readonly string[],
) => boolean

/**
 * The security headers an API answer gets, as name/value pairs, recorded once from
 * `applySecurityHeaders` itself, which stays their one definition. They depend on the settings and
 * the path alone: the request is only read for pages (live preview), never below the API route.
 */
export const recordApiSecurityHeaders = (
  settings: SecurityHeaderSettings,
  apiPath: string,
): string[] => {
  const pairs: string[] = []
  const recorder = {
    setHeader: (name: string, value: string) => pairs.push(name, value),
  } as unknown as http.ServerResponse
  applySecurityHeaders({ headers: {} } as http.IncomingMessage, recorder, apiPath, settings)
  return pairs
}

type CachedReadHitsArgs = {
  routeTable: RouteTable
  /** Payload's API route (`/api`), below which the security headers are those of API answers. */
  apiRoute: string
  securityHeaders: SecurityHeaderSettings
  serveCachedReadByUrl: ServeCachedReadByUrl
  /** The request log and metrics of the middleware chain, run for each hit too. */
  logRequest: (context: RequestContext) => void
  /** Read only for a log line that will be written, as in the chain. */
  readSessionToken: (headers: http.IncomingHttpHeaders) => Promise<SessionToken>
}

/**
 * The fast lane, ahead of the middleware chain: a cache hit of an anonymous read whose exact URL
 * the cache has answered before. Such a request would pass every step before the read cache
 * without being answered — none of them answers an anonymous GET of a cacheable read, and what
 * they decide depends on the method, the URL and the credentials only — so it is answered here
 * with what those steps would have added: the request id, the security headers, one log line and
 * the HTTP metrics. Skipped for it: the client address (nothing reads it on a hit), the request's
 * log context (nothing logs while a hit is sent), the route's promises and closures, and the
 * query's parse into the cache key. Everything else goes on to the chain, unchanged.
 */
export const createCachedReadHits = ({
  routeTable,
  apiRoute,
  securityHeaders,
  serveCachedReadByUrl,
  logRequest,
  readSessionToken,
}: CachedReadHitsArgs) => {
  const apiSecurityHeaders = recordApiSecurityHeaders(securityHeaders, `${apiRoute}/`)
  const sources = { routeTable, readSessionToken }
  return (req: http.IncomingMessage, res: http.ServerResponse): boolean => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false
    // A token (even a stale one, which the chain refuses) or a session cookie: the chain decides.
    if (req.headers.authorization !== undefined || hasCredentials(req.headers)) return false
    const pathname = pathOfUrl(req.url)
    if (!routeTable.isApiPath(pathname)) return false
    const startedAt = process.hrtime.bigint()
    const reqId = resolveRequestId(req.headers[requestIdHeader])
    const leadingHeaders = ['X-Request-Id', reqId, ...apiSecurityHeaders]
    if (!serveCachedReadByUrl(req, res, leadingHeaders)) return false
    // 'close' comes after this turn: the log step sees the end of the answer as usual.
    logRequest(
      createRequestContext(
        req,
        res,
        { reqId, pathname, startedAt, logContext: { reqId } },
        sources,
      ),
    )
    return true
  }
}
