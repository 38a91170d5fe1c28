import type pg from 'pg'

import { withDatabaseClient } from '../../database/createDatabase'

/**
 * The backup job records: the `ops_job_runs` table (migration 20261125_212000_ops_job_runs), one
 * row per run of `npm run backup` or `npm run drill`, so every replica can report the same results.
 * The table keeps its first name (a rename would change the schema); in code these are "job runs".
 */

/** The operator jobs whose runs are recorded: the backup and its restore drill. */
export type BackupJob = 'backup' | 'drill'
export type JobRunStatus = 'succeeded' | 'failed'

type RecordJobRunArgs = {
  databaseUrl: string
  job: BackupJob
  status: JobRunStatus
  startedAt: Date
  finishedAt: Date
  /** Numbers and short strings an operator reads; never credentials. */
  details: Record<string, unknown>
}

export const recordJobRun = async ({
  databaseUrl,
  job,
  status,
  startedAt,
  finishedAt,
  details,
}: RecordJobRunArgs): Promise<void> => {
  await withDatabaseClient(
    databaseUrl,
    (client) =>
      client.query(
        'INSERT INTO ops_job_runs (job, status, started_at, finished_at, details) VALUES ($1, $2, $3, $4, $5)',
        [job, status, startedAt, finishedAt, JSON.stringify(details)],
      ),
    { applicationName: `catalog-cms-${job}` },
  )
}

export type LatestJobRun = {
  job: BackupJob
  status: JobRunStatus
  startedAt: Date
  finishedAt: Date
  details: Record<string, unknown>
}

/**
 * The latest success and the latest failure of each job: one index-only walk per pair, whatever
 * the table's size.
 */
export const latestJobRunsQuery = `
  SELECT DISTINCT ON (job, status)
    job, status, started_at AS "startedAt", finished_at AS "finishedAt", details
  FROM ops_job_runs
  WHERE job IN ('backup', 'drill')
  ORDER BY job, status, finished_at DESC`

export const readLatestJobRuns = async (queryable: Pick<pg.Pool, 'query'>) =>
  (await queryable.query<LatestJobRun>(latestJobRunsQuery)).rows
