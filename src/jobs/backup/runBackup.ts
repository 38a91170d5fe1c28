import path from 'node:path'

import type { AppEnv } from '../../config/env'
import { getEnvSecretValues } from '../../server/observability/logger'
import { runJobSteps } from '../jobSteps'
import { formatBackupId } from './backupFiles'
import { describeFailure } from './backupJobError'
import { getBackupSteps, type BackupContext } from './backupSteps'
import { createBucketBackupStore } from './backupStore'
import { finishJobReport } from './finishJobReport'

export type BackupEnv = Pick<
  AppEnv,
  | 'DATABASE_URL'
  | 'PAYLOAD_SECRET'
  | 'BACKUP_DIR'
  | 'BACKUP_RETENTION_DAYS'
  | 'r2'
  | 'MEDIA_KEY_PREFIX'
  | 'MEDIA_DIR'
>

export type BackupSummary = {
  msg: 'backup finished' | 'backup failed'
  status: 'succeeded' | 'failed'
  id: string
  isFinal: boolean
  /** The dump on local disk; absent when none was completed. */
  file?: string
  bytes?: number
  sha256?: string
  tables?: number
  rows?: number
  mediaObjects?: number
  mediaInventory?: string
  /** Keys written to the bucket, when one is configured. */
  uploaded: string[]
  pruned: { local: string[]; bucket: string[] }
  durationSeconds: number
  /** Whether the result reached `ops_job_runs`, hence the metrics. */
  isRecorded: boolean
  /** Everything that went wrong, first failure first; empty when the backup succeeded. */
  problems: string[]
}

type RunBackupArgs = {
  env: BackupEnv
  /** A decommissioning backup: kept out of retention, with a media inventory beside it. */
  isFinal: boolean
  progress: (message: string) => void
}

/**
 * `npm run backup`: dump, manifest, media inventory for final backups, upload to the bucket,
 * retention, and the result recorded for the metrics (steps in backupSteps.ts). Never throws: every
 * failure ends up in `problems` and makes the status `failed`; what was completed before a failure
 * is kept only if it is whole (a dump with its checksum verified).
 */
export const runBackup = async ({
  env,
  isFinal,
  progress,
}: RunBackupArgs): Promise<BackupSummary> => {
  const startedAt = new Date()
  const id = formatBackupId({ createdAt: startedAt, isFinal })
  const secretValues = getEnvSecretValues(env)
  const summary: BackupSummary = {
    msg: 'backup finished',
    status: 'succeeded',
    id,
    isFinal,
    uploaded: [],
    pruned: { local: [], bucket: [] },
    durationSeconds: 0,
    isRecorded: false,
    problems: [],
  }
  const bucket = env.r2 ? createBucketBackupStore(env.r2) : undefined
  const dir = path.resolve(env.BACKUP_DIR)
  const context: BackupContext = { env, isFinal, progress, startedAt, id, dir, bucket, summary }
  try {
    await runJobSteps({
      steps: getBackupSteps({ isFinal, hasBucket: Boolean(bucket) }),
      context,
      onStep: (step, outcome) => {
        if (outcome.status !== 'failed') return
        const reason = describeFailure(outcome.error, secretValues)
        if (step.failure) summary.problems.push(`${step.failure}: ${reason}`)
        else summary.problems.unshift(reason)
      },
    })
  } finally {
    bucket?.close()
  }
  await finishJobReport({
    report: summary,
    job: 'backup',
    databaseUrl: env.DATABASE_URL,
    startedAt,
    details: {
      backupId: id,
      isFinal,
      bytes: summary.bytes,
      isUploaded: summary.uploaded.length > 0,
      error: summary.problems[0],
    },
    messages: { succeeded: 'backup finished', failed: 'backup failed' },
    secretValues,
  })
  return summary
}
