import crypto from 'node:crypto'
import http from 'node:http'

import type { Logger } from 'pino'

import { collectionSlugs } from '../../collections/slugs'
import type { AppEnv } from '../config/env'
import { getAppMetrics, toMetricLabels, type AppMetrics } from './observability/metrics'
import type { ReadinessChecks } from './observability/readiness'
import { runInRequestLogContext, type RequestLogContext } from './observability/requestContext'
import { clientIpHeader, requestIdHeader, resolveRequestId } from './observability/requestId'
import { serveCachedEndpoint } from '../../plugins/ops/fastPath'
import { toRoutePattern } from './observability/routePattern'
import { createSessionTokenReader, invalidTokenMessage } from './security/authorizationToken'
import { resolveClientIp } from './security/clientIp'
import {
  describeSignInRefusal,
  getLoginRefusalMemory,
} from '../../plugins/loginRateLimit/loginRefusals'
import {
  hasMalformedPercentEncoding,
  malformedPathMessage,
  malformedQueryMessage,
} from './requestValidation/percentEncoding'
import { keepCredentialedAnswersPrivate } from './security/privateResponses'
import { applySecurityHeaders, type SecurityHeaderSettings } from './security/securityHeaders'
import { getPayloadPoolStats } from '../database/closePayload'

type RequestHandler = (req: http.IncomingMessage, res: http.ServerResponse) => unknown

export type CreateAppServerArgs = {
  env: Pick<AppEnv, 'PAYLOAD_SECRET'> & { METRICS_TOKEN?: string; TRUST_PROXY?: number }
  logger: Logger
  readiness: ReadinessChecks
  /** Everything that is not an operational endpoint: Next.js, hence Payload. */
  handle: RequestHandler
  version: string
  securityHeaders: SecurityHeaderSettings
  metrics?: AppMetrics
}

const sendJson = (res: http.ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Cache-Control': 'no-store',
  })
  res.end(JSON.stringify(body))
}

const isAuthorized = (header: string | undefined, token: string | undefined): boolean => {
  if (!token) return true
  const expected = Buffer.from(`Bearer ${token}`)
  const given = Buffer.from(header ?? '')
  return given.length === expected.length && crypto.timingSafeEqual(given, expected)
}

/** Where a client gets a new session: a stale token there is dropped instead of refused. */
const signInPaths = new Set(
  ['login', 'forgot-password', 'reset-password', 'first-register'].map(
    (operation) => `/api/${collectionSlugs.users}/${operation}`,
  ),
)

/**
 * The level of a request's log line. A 429 is the rate limiter doing its job, counted by
 * `rate_limit_rejections_total`: at `warn`, a flood of refused sign-ins would flood the logs too.
 * A 5xx is a warning too: its cause is the one error line, written with the same `reqId` where the
 * error was caught (once per outage for an unreachable database), so errors are counted once.
 */
export const levelForStatus = (status: number): 'warn' | 'info' =>
  status >= 400 && status !== 429 ? 'warn' : 'info'

/**
 * A malformed percent-escape in an API URL, read from the URL as it came off the wire. Next.js
 * answers one in the path with its HTML error page, and re-encodes one in the query before a route
 * handler sees it (a broken escape then silently becomes literal text): only here is it still
 * visible, so it is refused here, in the API's error shape.
 */
const findMalformedEscape = (url: string, pathname: string): string | undefined => {
  if (hasMalformedPercentEncoding(pathname)) return malformedPathMessage
  if (hasMalformedPercentEncoding(url.slice(pathname.length))) return malformedQueryMessage
  return undefined
}

/**
 * The HTTP server in front of Next.js. For every request it assigns a request id (kept from a
 * well-formed incoming X-Request-Id), returns it, and writes exactly one JSON log line and the HTTP
 * metrics when the response ends. It answers the operational endpoints itself — /api/health,
 * /api/ready, /api/metrics — so they work even while Payload is starting or failing.
 */
export const createAppServer = ({
  env,
  logger,
  readiness,
  handle,
  version,
  securityHeaders,
  metrics = getAppMetrics(),
}: CreateAppServerArgs): http.Server => {
  // A header token signed before a PAYLOAD_SECRET rotation (or expired) is answered 401 on the
  // API; a valid one names the user in the request log.
  const readSessionToken = createSessionTokenReader(env.PAYLOAD_SECRET)

  const serveMetrics = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (!isAuthorized(req.headers.authorization, env.METRICS_TOKEN)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"')
      return sendJson(res, 401, {
        errors: [{ message: 'A valid metrics bearer token is required.' }],
      })
    }
    const pool = getPayloadPoolStats()
    if (pool) {
      metrics.dbPoolConnections.set({ state: 'total' }, pool.total)
      metrics.dbPoolConnections.set({ state: 'idle' }, pool.idle)
      metrics.dbPoolConnections.set({ state: 'waiting' }, pool.waiting)
    }
    try {
      const stats = await readiness.readConnectionStats()
      metrics.pgConnections.reset()
      for (const [state, count] of Object.entries(stats.byState))
        metrics.pgConnections.set({ state }, count)
      metrics.pgMaxConnections.set(stats.maxConnections)
    } catch (error) {
      logger.warn({ err: error, msg: 'Could not read pg_stat_activity for metrics' })
    }
    res.writeHead(200, {
      'Content-Type': metrics.registry.contentType,
      'Cache-Control': 'no-store',
    })
    res.end(await metrics.registry.metrics())
  }

  return http.createServer((req, res) => {
    const startedAt = process.hrtime.bigint()
    const reqId = resolveRequestId(req.headers[requestIdHeader])
    // Payload sees the same id (error responses carry it) and so does the client.
    req.headers[requestIdHeader] = reqId
    req.headers[clientIpHeader] = resolveClientIp({
      forwardedFor: req.headers['x-forwarded-for'],
      socketAddress: req.socket.remoteAddress,
      trustedHops: env.TRUST_PROXY ?? 0,
    })
    res.setHeader('X-Request-Id', reqId)
    const pathname = (req.url ?? '/').split('?')[0]
    const route = toRoutePattern(pathname)
    applySecurityHeaders(req, res, pathname, securityHeaders)
    if (pathname.startsWith('/api/')) keepCredentialedAnswersPrivate(req, res)
    // Verified at most once per request, and only when something asks.
    let sessionToken: ReturnType<typeof readSessionToken> | undefined
    const getSessionToken = () => (sessionToken ??= readSessionToken(req.headers))

    // Lines written while serving the request, Payload's included, carry its id.
    const logContext: RequestLogContext = { reqId, contentType: req.headers['content-type'] }
    let isLogged = false
    const finish = (status: number) => {
      if (isLogged) return
      isLogged = true
      logContext.isDone = true
      const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9
      const labels = toMetricLabels(req.method, route, status)
      metrics.httpRequests.inc(labels)
      metrics.httpRequestDuration.observe(labels, seconds)
      const level = levelForStatus(status)
      // The token is verified only for a line that will be written, after the response: never on
      // the path a client waits on, and not at all when the level is filtered out.
      if (!logger.isLevelEnabled(level)) return
      void getSessionToken().then(({ userId: id }) => {
        logger[level]({
          reqId,
          route,
          method: req.method,
          status,
          ms: Math.round(seconds * 100_000) / 100,
          ...(id === undefined ? {} : { userId: id }),
          msg: 'request',
        })
      })
    }
    res.once('finish', () => finish(res.statusCode))
    // The client went away before the response ended: nginx's 499, "client closed request".
    res.once('close', () => finish(res.writableFinished ? res.statusCode : 499))

    const respond = async () => {
      if (route === '/api/health' && req.method === 'GET') {
        return sendJson(res, 200, { status: 'ok', version, uptime: Math.round(process.uptime()) })
      }
      if (route === '/api/ready' && req.method === 'GET') {
        const report = await readiness.check()
        return sendJson(res, report.status === 'ok' ? 200 : 503, report)
      }
      if (route === '/api/metrics' && req.method === 'GET') return serveMetrics(req, res)
      // An address refused moments ago is refused again here, before anything else is done for it
      // (Next.js, Payload, even the token check): what a flood of sign-in attempts costs. Requests
      // with an Origin go on, so a partner site's page gets Payload's CORS headers with its 429.
      const msBeforeRetry =
        req.method === 'POST' && signInPaths.has(pathname) && !req.headers.origin
          ? getLoginRefusalMemory().msBeforeRetry(String(req.headers[clientIpHeader]))
          : 0
      if (msBeforeRetry > 0) {
        const { retryAfter, message, data } = describeSignInRefusal(msBeforeRetry)
        metrics.rateLimitRejections.inc({ limiter: 'login-ip' })
        res.setHeader('Retry-After', retryAfter)
        return sendJson(res, 429, { errors: [{ message, data }], requestId: reqId })
      }
      // Only a token in the Authorization header can be refused here; a cookie alone is verified
      // later, for the log line, off the path the client waits on.
      const hasStaleHeaderToken =
        pathname.startsWith('/api/') &&
        req.headers.authorization !== undefined &&
        (await getSessionToken()).isRejectedHeaderToken
      if (hasStaleHeaderToken && signInPaths.has(pathname)) {
        // Signing in is how a client replaces a stale token: let it through without the token.
        delete req.headers.authorization
      } else if (hasStaleHeaderToken) {
        res.setHeader('WWW-Authenticate', 'JWT error="invalid_token"')
        return sendJson(res, 401, { errors: [{ message: invalidTokenMessage }], requestId: reqId })
      }
      if ((req.method === 'GET' || req.method === 'HEAD') && pathname.startsWith('/api/')) {
        // Cached endpoints are answered here, without entering Next.js: that is what makes hits
        // cheap, and it is the one place that sends their br and gzip bytes (Next would encode
        // them a second time). A failed build goes on to Payload's route, which reports it.
        const cached = await serveCachedEndpoint(pathname.slice('/api'.length), {
          acceptEncoding: req.headers['accept-encoding'],
          ifNoneMatch: req.headers['if-none-match'],
        }).catch(() => undefined)
        if (cached) {
          res.writeHead(cached.status, cached.headers)
          return res.end(req.method === 'HEAD' ? undefined : cached.body)
        }
      }
      const malformedEscapeMessage = pathname.startsWith('/api/')
        ? findMalformedEscape(req.url ?? '/', pathname)
        : undefined
      if (malformedEscapeMessage) {
        return sendJson(res, 400, {
          errors: [{ message: malformedEscapeMessage }],
          requestId: reqId,
        })
      }
      return handle(req, res)
    }
    runInRequestLogContext(logContext, respond).catch((error: unknown) => {
      logger.error({ err: error, reqId, msg: 'Unhandled error while serving a request' })
      if (!res.headersSent)
        sendJson(res, 500, { errors: [{ message: 'Something went wrong.' }], requestId: reqId })
      else res.destroy()
    })
  })
}
