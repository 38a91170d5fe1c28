import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { getEnv, type AppEnv } from '../../config/env'
import { getEnvSecretValues } from '../../server/observability/logger'
import { importPayloadApp } from '../importPayloadApp'
import { runJobSteps, type JobStepOutcome } from '../jobSteps'
import { describeFailure, BackupJobError } from './backupJobError'
import { createBucketBackupStore } from './backupStore'
import type { DrillReport } from './drillReport'
import {
  drillSteps,
  migrateStep,
  restoreStep,
  type DrillContext,
  type DrillJobStep,
} from './drillSteps'
import { finishJobReport } from './finishJobReport'
import { chooseScratchDatabaseUrl } from './scratchDatabase'

export type DrillEnv = Pick<
  AppEnv,
  | 'DATABASE_URL'
  | 'DRILL_DATABASE_URL'
  | 'PAYLOAD_SECRET'
  | 'BACKUP_DIR'
  | 'r2'
  | 'MEDIA_KEY_PREFIX'
  | 'MEDIA_DIR'
>

type RunDrillArgs = {
  env: DrillEnv
  /** A backup id or a path; the newest backup when absent. */
  backup?: string
  /** How many media documents to check in storage, each with every size. */
  sampleSize: number
  progress: (message: string) => void
}

/**
 * Boots Payload, exactly as the app configures it, against the scratch database. The config reads
 * the environment when it is first imported, so the swap happens before that import, and is
 * checked: a drill must never boot against the live database. No seeding and no admin bootstrap:
 * both would write rows the backup does not have.
 */
const loadAppAgainst = async (scratchUrl: string) => {
  Object.assign(process.env, {
    DATABASE_URL: scratchUrl,
    SEED_ON_EMPTY: 'false',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
  })
  for (const name of ['ADMIN_EMAIL', 'ADMIN_PASSWORD', 'ADMIN_PASSWORD_HASH'])
    delete process.env[name]
  if (getEnv().DATABASE_URL !== scratchUrl) {
    throw new BackupJobError(
      'The environment was read before the drill could point it at the scratch database; not booting.',
    )
  }
  const { getPayload, config } = await importPayloadApp()
  return { boot: () => getPayload({ config }) }
}

/** The scratch database the drill will restore into, or undefined when it would be the live one. */
const planScratchDatabaseUrl = (env: DrillEnv, now: Date): string | undefined => {
  try {
    return chooseScratchDatabaseUrl({
      databaseUrl: env.DATABASE_URL,
      drillDatabaseUrl: env.DRILL_DATABASE_URL,
      now,
    })
  } catch {
    // The restore step chooses again and reports why it cannot.
    return undefined
  }
}

type ReportStepArgs = Pick<RunDrillArgs, 'progress'> & {
  report: DrillReport
  secretValues: (string | undefined)[]
}

/** A row of the report and a line of progress per step; a failure is also one of the problems. */
const reportStep =
  ({ report, progress, secretValues }: ReportStepArgs) =>
  ({ name }: DrillJobStep, outcome: JobStepOutcome) => {
    const entry =
      outcome.status === 'skipped'
        ? { status: outcome.status, seconds: 0, detail: 'an earlier step failed' }
        : outcome.status === 'failed'
          ? {
              status: outcome.status,
              seconds: outcome.seconds,
              detail: describeFailure(outcome.error, secretValues),
            }
          : { status: outcome.status, seconds: outcome.seconds, detail: outcome.detail ?? '' }
    report.steps.push({ name, ...entry })
    progress(`${name}: ${entry.status}${entry.detail ? ` — ${entry.detail}` : ''}`)
    if (outcome.status === 'failed') report.problems.push(`${name}: ${entry.detail}`)
  }

/** RTO and its restore part, from the steps that take them, once each has passed. */
const recordTimings = (report: DrillReport, step: DrillJobStep, outcome: JobStepOutcome) => {
  if (outcome.status !== 'passed') return
  if (step === restoreStep) report.restoreSeconds = outcome.seconds
  if (step === migrateStep) report.recoverySeconds = (report.restoreSeconds ?? 0) + outcome.seconds
}

/**
 * The quarterly disaster-recovery drill, automated (steps in drillSteps.ts): restore a backup into
 * a scratch database, prove the committed migrations apply, boot Payload on it, compare what it
 * holds with the manifest, check a random sample of media objects in storage, then drop the
 * scratch database. Never throws: failures are in the report, and the result is recorded for the
 * metrics.
 */
export const runDrill = async ({
  env,
  backup,
  sampleSize,
  progress,
}: RunDrillArgs): Promise<DrillReport> => {
  const startedAt = new Date()
  const secretValues = getEnvSecretValues(env)
  const report: DrillReport = {
    msg: 'drill passed',
    status: 'succeeded',
    durationSeconds: 0,
    steps: [],
    isRecorded: false,
    problems: [],
  }
  const bucket = env.r2 ? createBucketBackupStore(env.r2) : undefined
  const downloadDir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'catalog-drill-'))
  // The app is loaded first, while nothing else is in flight: imported after the restore's child
  // processes and connections, the config's import sometimes never completed.
  const plannedScratchUrl = planScratchDatabaseUrl(env, startedAt)
  const app = plannedScratchUrl ? await loadAppAgainst(plannedScratchUrl) : undefined
  const context: DrillContext = {
    env,
    backup,
    sampleSize,
    startedAt,
    report,
    bucket,
    downloadDir,
    plannedScratchUrl,
    app,
    isScratchCreated: false,
  }
  const onStepReported = reportStep({ report, progress, secretValues })
  await runJobSteps({
    steps: drillSteps,
    context,
    onStep: (step, outcome) => {
      onStepReported(step, outcome)
      recordTimings(report, step, outcome)
    },
  })
  await finishJobReport({
    report,
    job: 'drill',
    databaseUrl: env.DATABASE_URL,
    startedAt,
    details: {
      backupId: report.backupId,
      restoreSeconds: report.restoreSeconds,
      recoverySeconds: report.recoverySeconds,
      backupAgeSeconds: report.backupAgeSeconds,
      error: report.problems[0],
    },
    messages: { succeeded: 'drill passed', failed: 'drill failed' },
    secretValues,
  })
  return report
}
