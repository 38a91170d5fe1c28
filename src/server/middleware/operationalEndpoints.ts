import crypto from 'node:crypto'
import type http from 'node:http'

import type { Logger } from 'pino'

import { getPayloadPoolStats } from '../../database/closePayload'
import type { AppMetrics } from '../observability/metrics'
import type { ReadinessChecks } from '../observability/readiness'
import { answered, sendJson, type Middleware } from './types'

type OperationalEndpointsArgs = {
  logger: Logger
  metrics: AppMetrics
  readiness: ReadinessChecks
  version: string
  /** The bearer token /api/metrics asks for (METRICS_TOKEN); none asked when unset. */
  metricsToken?: string
}

const isAuthorized = (header: string | undefined, token: string | undefined): boolean => {
  if (!token) return true
  const expected = Buffer.from(`Bearer ${token}`)
  const given = Buffer.from(header ?? '')
  return given.length === expected.length && crypto.timingSafeEqual(given, expected)
}

/** Connection counts are read when Prometheus scrapes, not on a timer nobody may be reading. */
const refreshDatabaseGauges = async ({
  logger,
  metrics,
  readiness,
}: Pick<OperationalEndpointsArgs, 'logger' | 'metrics' | 'readiness'>) => {
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
}

const serveMetrics = async (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  args: OperationalEndpointsArgs,
) => {
  if (!isAuthorized(req.headers.authorization, args.metricsToken)) {
    res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"')
    return sendJson(res, 401, {
      errors: [{ message: 'A valid metrics bearer token is required.' }],
    })
  }
  await refreshDatabaseGauges(args)
  res.writeHead(200, {
    'Content-Type': args.metrics.registry.contentType,
    'Cache-Control': 'no-store',
  })
  res.end(await args.metrics.registry.metrics())
}

/**
 * /api/health, /api/ready and /api/metrics, answered here rather than by Payload, so they work
 * even while Payload is starting or failing.
 */
export const operationalEndpointsMiddleware =
  (args: OperationalEndpointsArgs): Middleware =>
  async ({ req, res, route }) => {
    if (route.kind !== 'operational' || req.method !== 'GET') return
    if (route.endpoint === 'health') {
      const uptime = Math.round(process.uptime())
      sendJson(res, 200, { status: 'ok', version: args.version, uptime })
    } else if (route.endpoint === 'ready') {
      const report = await args.readiness.check()
      sendJson(res, report.status === 'ok' ? 200 : 503, report)
    } else {
      await serveMetrics(req, res, args)
    }
    return answered
  }
