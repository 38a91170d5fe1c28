import type { Payload } from 'payload'

import { getPayloadPools } from '../../plugins/payloadInternals'
import { getProcessSingleton } from '../lib/processSingleton'
import { findDatabaseUnavailableCause } from './unavailable'

/** The `event` of the two lines an outage writes, for log queries and alerts. */
export const databaseOutageEvents = {
  started: 'database-unavailable',
  ended: 'database-available',
} as const

type OutageLogger = {
  error: (fields: Record<string, unknown>) => void
  info: (fields: Record<string, unknown>) => void
}

export type DatabaseOutageWatch = {
  logger: OutageLogger
  /** A cheap query through the app's own pool: it succeeds once requests can succeed again. */
  probe: () => Promise<unknown>
  /** True once the pool has been ended (the instance destroyed): nothing is left to watch. */
  isClosed: () => boolean
}

type Schedule = (run: () => void, ms: number) => void

type MonitorOptions = {
  /** How long after a failed probe the next one runs. @default 1000 */
  retryMs?: number
  now?: () => number
  /** Runs `run` after `ms`; timers must not keep a process alive. */
  schedule?: Schedule
}

const scheduleUnref: Schedule = (run, ms) => {
  setTimeout(run, ms).unref()
}

/** The cause as one compact error for the log: what failed and where, without the pg client. */
const describeCause = (error: unknown) => {
  const cause = (findDatabaseUnavailableCause(error) ?? error) as {
    name?: unknown
    message?: unknown
    code?: unknown
    stack?: unknown
  }
  return {
    type: typeof cause.name === 'string' ? cause.name : 'Error',
    message: String(cause.message ?? cause),
    ...(typeof cause.code === 'string' ? { code: cause.code } : {}),
    ...(typeof cause.stack === 'string' ? { stack: cause.stack } : {}),
  }
}

/**
 * Turns "the database cannot be reached" into two log lines per outage instead of one error per
 * failed request: an error line with the cause when the first failure is seen, and an info line
 * once a probe through the app's pool succeeds again. Until something watches (a Payload instance
 * on the Postgres adapter, see `watchDatabaseOutages`), it reports nothing and the failures are
 * logged where they happen.
 */
export const createDatabaseOutageMonitor = ({
  retryMs = 1_000,
  now = Date.now,
  schedule = scheduleUnref,
}: MonitorOptions = {}) => {
  let watch: DatabaseOutageWatch | undefined
  let startedAt: number | undefined

  const end = (watched: DatabaseOutageWatch) => {
    if (startedAt === undefined) return
    const seconds = Math.round((now() - startedAt) / 100) / 10
    startedAt = undefined
    watched.logger.info({
      event: databaseOutageEvents.ended,
      outageSeconds: seconds,
      msg: `The database answers again, after ${seconds} s unavailable`,
    })
  }

  const probeLater = () =>
    schedule(() => {
      const watched = watch
      if (!watched || watched.isClosed()) {
        startedAt = undefined
        return
      }
      watched.probe().then(
        () => end(watched),
        () => probeLater(),
      )
    }, retryMs)

  return {
    /** Reports through `next` from now on; the last Payload instance to start is watched. */
    watch: (next: DatabaseOutageWatch) => {
      watch = next
    },
    /**
     * Reports a failure to reach the database: the first of an outage is logged with its cause,
     * the others only counted as part of it. False when nothing watches (nothing was reported).
     */
    recordFailure: (error: unknown): boolean => {
      if (!watch) return false
      if (startedAt !== undefined) return true
      startedAt = now()
      watch.logger.error({
        event: databaseOutageEvents.started,
        err: describeCause(error),
        msg: 'The database is unavailable: API requests that need it are answered 503 until it answers again',
      })
      probeLater()
      return true
    },
    isUnavailable: () => startedAt !== undefined,
  }
}

export type DatabaseOutageMonitor = ReturnType<typeof createDatabaseOutageMonitor>

/** The process's monitor: the logger, the route handlers and the pools report to the same one. */
export const getDatabaseOutageMonitor = (): DatabaseOutageMonitor =>
  getProcessSingleton('catalog-cms.databaseOutageMonitor', () => createDatabaseOutageMonitor())

/**
 * Has the process's monitor watch this instance's database. Each pool gets an error listener: pg
 * emits an error for every idle connection the server drops (a restart, a failover), and one with
 * no listener is an uncaught exception, logged once per connection.
 */
export const watchDatabaseOutages = (payload: Payload): void => {
  const [primary, ...replicas] = getPayloadPools(payload)
  if (!primary) return
  const monitor = getDatabaseOutageMonitor()
  for (const pool of [primary, ...replicas]) {
    pool.on('error', (error) => monitor.recordFailure(error))
  }
  monitor.watch({
    logger: payload.logger,
    probe: () => primary.query('SELECT 1'),
    isClosed: () => primary.ended === true,
  })
}
