import type http from 'node:http'

import type { Logger } from 'pino'

import type { ReadinessChecks } from './observability/readiness'

/**
 * Longest time requests already in progress get to finish once the server stops accepting new
 * connections. Process managers must allow more than drain + this + a few seconds before they
 * kill (systemd `TimeoutStopSec`, pm2 `kill_timeout`, Kubernetes `terminationGracePeriodSeconds`).
 */
export const inFlightGraceMs = 10_000

/** Extra time for closing pools and flushing logs before the process gives up and exits 1. */
const closeResourcesMs = 5_000

/**
 * The draining state of one server, kept once: `start()` turns its /api/ready to 503 for good, so
 * a balancer that probes it stops sending new requests, and makes every response end its
 * connection (`Connection: close`) — also those in progress, whose headers are not out yet — so
 * keep-alive clients such as a balancer's upstream pool open a new connection, to another
 * replica, for their next request instead of reusing one this process is about to close.
 *
 * The server is created with `readiness` (it serves /api/ready), so it is handed over afterwards
 * with `trackConnections`, before it listens.
 */
export const createDrain = (readiness: ReadinessChecks) => {
  let isDraining = false
  const inProgress = new Set<http.ServerResponse>()
  return {
    readiness: {
      ...readiness,
      check: async () => {
        const report = await readiness.check()
        return isDraining
          ? { ...report, status: 'unavailable' as const, reason: 'shutting down' }
          : report
      },
    } satisfies ReadinessChecks,
    trackConnections: (server: http.Server) => {
      server.prependListener('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
        if (isDraining) {
          res.setHeader('Connection', 'close')
          return
        }
        inProgress.add(res)
        res.once('close', () => inProgress.delete(res))
      })
    },
    start: () => {
      isDraining = true
      for (const res of inProgress) if (!res.headersSent) res.setHeader('Connection', 'close')
      inProgress.clear()
    },
  }
}

type ShutdownGracefullyArgs = {
  server: http.Server
  logger: Logger
  signal: string
  /** Keep serving this long after marking not-ready, for balancers that probe /api/ready. */
  drainMs: number
  /** How long requests in flight get once the server stops accepting (inFlightGraceMs). */
  graceMs: number
  /** createDrain's `start`: /api/ready turns 503 and responses end their connections. */
  startDraining: () => void
  /** Stops background work and closes pools once no request can need them any more. */
  closeResources: () => Promise<void>
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref())

/**
 * The SIGTERM sequence: not ready, responses end their connections → (drain) → stop accepting →
 * let in-flight requests finish → close the database pools → exit 0. Bounded: after drain +
 * grace + a few seconds it exits 1.
 */
export const shutdownGracefully = async ({
  server,
  logger,
  signal,
  drainMs,
  graceMs,
  startDraining,
  closeResources,
}: ShutdownGracefullyArgs): Promise<never> => {
  setTimeout(
    () => {
      logger.error({ msg: 'Shutdown did not finish in time; exiting anyway' })
      logger.flush()
      process.exit(1)
    },
    drainMs + graceMs + closeResourcesMs,
  ).unref()

  startDraining()
  logger.info({
    msg: `${signal} received: not ready any more; ${drainMs > 0 ? `serving ${drainMs} ms more, then ` : ''}closing`,
  })
  if (drainMs > 0) await sleep(drainMs)

  const closed = new Promise<boolean>((resolve) => server.close(() => resolve(true)))
  // A response that had sent its headers before draining leaves its connection open and idle
  // once done: close such connections as they turn idle, not only those idle right now.
  const closeIdle = setInterval(() => server.closeIdleConnections(), 100)
  server.closeIdleConnections()
  const isClosedInTime = await Promise.race([closed, sleep(graceMs).then(() => false)])
  clearInterval(closeIdle)
  if (!isClosedInTime) {
    logger.warn({ msg: `Requests still open after ${graceMs} ms; closing their connections` })
    server.closeAllConnections()
  }
  try {
    await closeResources()
  } catch (error) {
    logger.error({ err: error, msg: 'Closing pools and background work failed during shutdown' })
    logger.flush()
    process.exit(1)
  }
  logger.info({ msg: 'Shut down cleanly' })
  logger.flush()
  process.exit(0)
}
