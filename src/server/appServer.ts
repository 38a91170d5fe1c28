import http from 'node:http'

import type { Logger } from 'pino'

import type { AppEnv } from '../config/env'
import { getAppMetrics, type AppMetrics } from './observability/metrics'
import type { ReadinessChecks } from './observability/readiness'
import { runInRequestLogContext } from './observability/requestContext'
import { serveCachedEndpoint } from '../catalog/serveCachedEndpoint'
import {
  serveCachedRead as serveCachedReadOfPayload,
  serveCachedReadByUrl as serveCachedReadByUrlOfPayload,
} from '../catalog/serveCachedRead'
import { createSessionTokenReader } from './security/authorizationToken'
import { describeSignInRefusal } from '../../plugins/loginRateLimit/utilities/loginRefusals'
import { getLoginRefusalMemory } from '../config/loginRateLimitOptions'
import type { SecurityHeaderSettings } from './security/securityHeaders'
import { cachedEndpointsMiddleware } from './middleware/cachedEndpoints'
import { createCachedReadHits, type ServeCachedReadByUrl } from './middleware/cachedReadHits'
import { malformedUrlsMiddleware } from './middleware/malformedUrls'
import { openRequest } from './middleware/openRequest'
import { operationalEndpointsMiddleware } from './middleware/operationalEndpoints'
import { readCacheMiddleware, type ServeCachedRead } from './middleware/readCache'
import { requestLogMiddleware } from './middleware/requestLog'
import { privateAnswersMiddleware, securityHeadersMiddleware } from './middleware/responseHeaders'
import { signInRefusalsMiddleware } from './middleware/signInRefusals'
import { staleTokensMiddleware } from './middleware/staleTokens'
import { answered, sendError, type Middleware, type RequestContext } from './middleware/types'
import { createRouteTable, payloadRoutes, type PayloadRoutes } from './routes'

type RequestHandler = (req: http.IncomingMessage, res: http.ServerResponse) => unknown

export type CreateAppServerArgs = {
  env: Pick<AppEnv, 'PAYLOAD_SECRET'> & { METRICS_TOKEN?: string; TRUST_PROXY?: number }
  logger: Logger
  readiness: ReadinessChecks
  /** Everything that is not an operational endpoint: Next.js, hence Payload. */
  handle: RequestHandler
  version: string
  securityHeaders: SecurityHeaderSettings
  /** @default getAppMetrics() */
  metrics?: AppMetrics
  /**
   * The Payload config's routes; the server cannot load the config itself.
   * @default payloadRoutes
   */
  routes?: PayloadRoutes
  /**
   * The response cache's endpoint paths below the API route (`/catalog`): logs and metrics name
   * them by their own path. The fast path serves every cached endpoint either way.
   * @default []
   */
  cachedEndpointPaths?: readonly string[]
  /**
   * The cache of anonymous API reads.
   * @default the response cache of the Payload instance Next.js started
   */
  serveCachedRead?: ServeCachedRead
  /**
   * The same cache's answers to repeats of a URL it has answered, ahead of the middlewares.
   * @default the same Payload instance's
   */
  serveCachedReadByUrl?: ServeCachedReadByUrl
}

/** Runs the steps in order until one has answered. */
const runMiddlewares = async (middlewares: Middleware[], context: RequestContext) => {
  for (const middleware of middlewares) {
    const result = middleware(context)
    if ((result instanceof Promise ? await result : result) === answered) return
  }
}

/** A middleware threw: the error line, and a 500 unless the answer has already begun. */
const answerUnhandledError = (logger: Logger, context: RequestContext, error: unknown) => {
  const { res, reqId } = context
  logger.error({ err: error, reqId, msg: 'Unhandled error while serving a request' })
  if (!res.headersSent) sendError(context, 500, { message: 'Something went wrong.' })
  else res.destroy()
}

/**
 * The HTTP server in front of Next.js, as an ordered list of middlewares on one route table. For
 * every request it assigns a request id (kept from a well-formed incoming X-Request-Id), returns
 * it, and writes exactly one JSON log line and the HTTP metrics when the response ends. It answers
 * the operational endpoints itself — /api/health, /api/ready, /api/metrics — so they work even
 * while Payload is starting or failing.
 */
export const createAppServer = ({
  env,
  logger,
  readiness,
  handle,
  version,
  securityHeaders,
  metrics = getAppMetrics(),
  routes = payloadRoutes,
  cachedEndpointPaths = [],
  serveCachedRead = serveCachedReadOfPayload,
  serveCachedReadByUrl = serveCachedReadByUrlOfPayload,
}: CreateAppServerArgs): http.Server => {
  const routeTable = createRouteTable({ routes, cachedEndpointPaths })
  // A valid token names the user in the request log; a stale header token is refused on the API.
  const readSessionToken = createSessionTokenReader(env.PAYLOAD_SECRET)
  const logRequest = requestLogMiddleware({ logger, metrics })
  const serveCachedReadHit = createCachedReadHits({
    routeTable,
    apiRoute: routes.api,
    securityHeaders,
    serveCachedReadByUrl,
    logRequest,
    readSessionToken,
  })
  const middlewares: Middleware[] = [
    securityHeadersMiddleware(securityHeaders),
    privateAnswersMiddleware(routeTable),
    logRequest,
    operationalEndpointsMiddleware({
      logger,
      metrics,
      readiness,
      version,
      metricsToken: env.METRICS_TOKEN,
    }),
    signInRefusalsMiddleware({
      routeTable,
      metrics,
      msBeforeRetry: (address) => getLoginRefusalMemory().msBeforeRetry(address),
      describeRefusal: describeSignInRefusal,
    }),
    staleTokensMiddleware(routeTable),
    cachedEndpointsMiddleware({ routeTable, serveCachedEndpoint }),
    malformedUrlsMiddleware(routeTable),
    readCacheMiddleware({ serveCachedRead, handle }),
    async ({ req, res }) => {
      await handle(req, res)
      return answered
    },
  ]

  return http.createServer((req, res) => {
    if (serveCachedReadHit(req, res)) return
    const trustedHops = env.TRUST_PROXY ?? 0
    const context = openRequest({ req, res, routeTable, trustedHops, readSessionToken })
    // Lines written while serving the request, Payload's included, carry its id.
    runInRequestLogContext(context.logContext, () => runMiddlewares(middlewares, context)).catch(
      (error: unknown) => answerUnhandledError(logger, context, error),
    )
  })
}
