import type http from 'node:http'
import type { Socket } from 'node:net'

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

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref())

/**
 * The draining state of one server, kept once: `start()` turns its /api/ready to 503 for good, so
 * a balancer that probes it stops sending new requests, and makes every response end its
 * connection (`Connection: close`) — also those in progress, whose headers are not out yet — so
 * keep-alive clients such as a balancer's upstream pool open a new connection, to another
 * replica, for their next request instead of reusing one this process is about to close.
 *
 * It also tells requests from connections: a connection may be idle between keep-alive requests,
 * or upgraded to a websocket (`next dev`'s hot reloading) and carry no request at all. Only
 * requests whose response has not finished are worth waiting for, and worth a warning.
 *
 * The server is created with `readiness` (it serves /api/ready), so it is handed over afterwards
 * with `trackConnections`, before it listens.
 */
export const createDrain = (readiness: ReadinessChecks) => {
  let isDraining = false
  let trackedServer: http.Server | undefined
  const inProgress = new Set<http.ServerResponse>()
  const sockets = new Set<Socket>()
  let onNoneInProgress: (() => void)[] = []
  const finishRequest = (res: http.ServerResponse) => {
    inProgress.delete(res)
    if (inProgress.size > 0) return
    for (const resolve of onNoneInProgress) resolve()
    onNoneInProgress = []
  }
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
      trackedServer = server
      server.on('connection', (socket: Socket) => {
        sockets.add(socket)
        socket.once('close', () => sockets.delete(socket))
      })
      server.prependListener('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
        if (isDraining) res.setHeader('Connection', 'close')
        inProgress.add(res)
        res.once('close', () => finishRequest(res))
      })
    },
    start: () => {
      isDraining = true
      for (const res of inProgress) if (!res.headersSent) res.setHeader('Connection', 'close')
    },
    /** Requests whose response has not finished; idle and upgraded connections carry none. */
    countRequestsInProgress: () => inProgress.size,
    /** Resolves once no request is in progress (at once when none is). */
    whenNoRequestsInProgress: () =>
      new Promise<void>((resolve) => {
        if (inProgress.size === 0) resolve()
        else onNoneInProgress.push(resolve)
      }),
    /**
     * Ends every connection. `server.closeAllConnections()` alone leaves upgraded ones (websockets)
     * open, and `server.close()` waits for them.
     */
    closeAllConnections: () => {
      trackedServer?.closeAllConnections()
      for (const socket of sockets) socket.destroy()
    },
  }
}

export type Drain = ReturnType<typeof createDrain>

type FinishRequestsArgs = {
  server: http.Server
  drain: Pick<Drain, 'countRequestsInProgress' | 'whenNoRequestsInProgress' | 'closeAllConnections'>
  logger: Logger
  /** How long requests in progress get to finish. */
  graceMs: number
}

/**
 * Stops accepting connections, lets the requests in progress finish (for `graceMs` at most), then
 * ends every connection left. Only requests cut off are worth a warning: connections that carry
 * none (idle keep-alive, websockets such as `next dev`'s hot reloading) are closed without one.
 */
export const finishRequestsAndClose = async ({
  server,
  drain,
  logger,
  graceMs,
}: FinishRequestsArgs): Promise<void> => {
  server.close()
  server.closeIdleConnections()
  await Promise.race([drain.whenNoRequestsInProgress(), sleep(graceMs)])
  const cutOff = drain.countRequestsInProgress()
  if (cutOff > 0) {
    logger.warn({
      msg: `${cutOff} request(s) still open after ${graceMs} ms; closing their connections`,
    })
  }
  drain.closeAllConnections()
}

type ShutdownGracefullyArgs = {
  server: http.Server
  logger: Logger
  signal: string
  /** Keep serving this long after marking not-ready, for balancers that probe /api/ready. */
  drainMs: number
  /** How long requests in flight get once the server stops accepting (inFlightGraceMs). */
  graceMs: number
  /** createDrain's result: `start` turns /api/ready 503 and makes responses end their connections. */
  drain: Pick<Drain, 'start'> & FinishRequestsArgs['drain']
  /** Stops background work and closes pools once no request can need them any more. */
  closeResources: () => Promise<void>
}

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
  drain,
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

  drain.start()
  logger.info({
    msg: `${signal} received: not ready any more; ${drainMs > 0 ? `serving ${drainMs} ms more, then ` : ''}closing`,
  })
  if (drainMs > 0) await sleep(drainMs)

  await finishRequestsAndClose({ server, drain, logger, graceMs })
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
