import pg from 'pg'
import type { Logger } from 'pino'

import type { AppEnv } from '../../config/env'
import type { AppMetrics } from '../../server/observability/metrics'
import { readLatestJobRuns, type LatestJobRun } from './jobRuns'

/** PostgreSQL's SQLSTATE for "relation does not exist". */
const undefinedTableCode = '42P01'

/** Backups run daily and drills quarterly: a minute of delay in the gauges is plenty. */
const defaultIntervalMs = 60_000

const toSeconds = (date: Date) => date.getTime() / 1000

const numberIn = (details: Record<string, unknown>, key: string): number | undefined =>
  typeof details[key] === 'number' ? details[key] : undefined

/** Sets the backup and drill gauges from the latest success and failure of each job. */
export const applyLatestJobRuns = (metrics: AppMetrics, runs: LatestJobRun[]): void => {
  const find = (job: LatestJobRun['job'], status: LatestJobRun['status']) =>
    runs.find((run) => run.job === job && run.status === status)
  const durationOf = (run: LatestJobRun) => toSeconds(run.finishedAt) - toSeconds(run.startedAt)

  const backup = find('backup', 'succeeded')
  if (backup) {
    metrics.backupLastSuccessTimestamp.set(toSeconds(backup.finishedAt))
    metrics.backupLastDuration.set(durationOf(backup))
    metrics.backupLastSizeBytes.set(numberIn(backup.details, 'bytes') ?? 0)
  }
  const failedBackup = find('backup', 'failed')
  if (failedBackup) metrics.backupLastFailureTimestamp.set(toSeconds(failedBackup.finishedAt))

  const drill = find('drill', 'succeeded')
  if (drill) {
    metrics.drillLastSuccessTimestamp.set(toSeconds(drill.finishedAt))
    metrics.drillLastDuration.set(durationOf(drill))
    metrics.drillLastRecoverySeconds.set(numberIn(drill.details, 'recoverySeconds') ?? 0)
    metrics.drillLastBackupAge.set(numberIn(drill.details, 'backupAgeSeconds') ?? 0)
  }
  const failedDrill = find('drill', 'failed')
  if (failedDrill) metrics.drillLastFailureTimestamp.set(toSeconds(failedDrill.finishedAt))
}

type JobRunsReporterArgs = {
  env: Pick<AppEnv, 'DATABASE_URL'>
  metrics: AppMetrics
  logger: Logger
  intervalMs?: number
}

/**
 * Refreshes the backup and drill gauges from `ops_job_runs` in the background, on one connection
 * of its own: a scrape never queries the database for them.
 */
export const startJobRunsReporter = ({
  env,
  metrics,
  logger,
  intervalMs = defaultIntervalMs,
}: JobRunsReporterArgs) => {
  const pool = new pg.Pool({
    connectionString: env.DATABASE_URL,
    max: 1,
    idleTimeoutMillis: 10_000,
    connectionTimeoutMillis: 5_000,
    application_name: 'catalog-cms-job-runs',
  })
  // A dropped idle connection only fails the next refresh.
  pool.on('error', () => undefined)

  const refresh = async () => {
    try {
      applyLatestJobRuns(metrics, await readLatestJobRuns(pool))
    } catch (error) {
      // `npm run dev` on a new database migrates after the server starts: no table, no runs yet.
      if ((error as { code?: unknown }).code === undefinedTableCode) return
      logger.warn({
        err: error,
        msg: 'Reading backup and drill results failed; their gauges keep their last values',
      })
    }
  }
  void refresh()
  const timer = setInterval(() => void refresh(), intervalMs)
  timer.unref()
  return {
    refresh,
    stop: async () => {
      clearInterval(timer)
      await pool.end().catch(() => undefined)
    },
  }
}
