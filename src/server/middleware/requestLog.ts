import type { Logger } from 'pino'

import { toMetricLabels, type AppMetrics } from '../observability/metrics'
import type { Middleware } from './types'

/**
 * The level of a request's log line. A 429 is the rate limiter doing its job, counted by
 * `rate_limit_rejections_total`: at `warn`, a flood of refused sign-ins would flood the logs too.
 * A 5xx is a warning too: its cause is the one error line, written with the same `reqId` where the
 * error was caught (once per outage for an unreachable database), so errors are counted once.
 */
export const levelForStatus = (status: number): 'warn' | 'info' =>
  status >= 400 && status !== 429 ? 'warn' : 'info'

/** Status 499, nginx's "client closed request": the client went away before the response ended. */
const clientClosedRequest = 499

/**
 * Writes exactly one JSON log line and the HTTP metrics for the request, when its response ends
 * or its client goes away. A response emits 'close' once either way, after 'finish' when it
 * ended: one listener per request, on every cache hit too. (Node 20 emits neither for a pipelined
 * request queued behind one whose client went away: that request is never logged there; Node 24,
 * production's runtime, closes it too.)
 */
export const requestLogMiddleware =
  ({ logger, metrics }: { logger: Logger; metrics: AppMetrics }): Middleware =>
  ({ req, res, reqId, route, startedAt, logContext, getSessionToken }) => {
    res.once('close', () => {
      const status = res.writableFinished ? res.statusCode : clientClosedRequest
      logContext.isDone = true
      const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9
      const labels = toMetricLabels(req.method, route.pattern, status)
      metrics.httpRequests.inc(labels)
      metrics.httpRequestDuration.observe(labels, seconds)
      const level = levelForStatus(status)
      // The token is verified only for a line that will be written, after the response: never on
      // the path a client waits on, and not at all when the level is filtered out.
      if (!logger.isLevelEnabled(level)) return
      void getSessionToken().then(({ userId: id }) => {
        logger[level]({
          reqId,
          route: route.pattern,
          method: req.method,
          status,
          ms: Math.round(seconds * 100_000) / 100,
          ...(id === undefined ? {} : { userId: id }),
          msg: 'request',
        })
      })
    })
  }
