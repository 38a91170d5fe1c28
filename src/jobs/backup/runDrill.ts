import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import type { Migration, Payload } from 'payload'
import type pg from 'pg'

import { migrations } from '../../../migrations'
import { collectionSlugs } from '../../../collections/slugs'
import { getEnv, type AppEnv } from '../../config/env'
import { getEnvSecretValues } from '../../server/observability/logger'
import { closePayload } from '../../database/closePayload'
import { importPayloadApp } from '../importPayloadApp'
import { databaseNameOf, dropDatabase, withDatabaseClient } from '../../database/createDatabase'
import { getMediaObjectKeys } from '../../../plugins/mediaStorage'
import { createBucketBackupStore } from './backupStore'
import {
  findPendingMigrations,
  readDatabaseContents,
  type DatabaseContents,
} from './databaseContents'
import type { DrillReport, DrillStep } from './drillReport'
import { recordJobRun } from './jobRuns'
import { locateBackup, verifyDump, type LocatedBackup } from './locateBackup'
import { compareRowCounts } from './manifest'
import { findMissingMediaObjects } from './mediaObjects'
import { describeFailure, OpsJobError } from './opsJobError'
import { findPgTool, runPgTool } from './pgTools'
import { chooseScratchDatabaseUrl, createScratchDatabase } from './scratchDatabase'

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

/** Rows of this table are expected to change when a drill applies migrations a backup predates. */
const migrationsTable = 'public.payload_migrations'

const withClient = <T>(databaseUrl: string, work: (client: pg.Client) => Promise<T>) =>
  withDatabaseClient(databaseUrl, work, { applicationName: 'catalog-cms-drill' })

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
    throw new OpsJobError(
      'The environment was read before the drill could point it at the scratch database; not booting.',
    )
  }
  const { getPayload, config } = await importPayloadApp()
  return { boot: () => getPayload({ config }) }
}

const tableOfCollection = (payload: Payload, slug: string): string | undefined =>
  (payload.db as unknown as { tableNameMap: Map<string, string> }).tableNameMap.get(
    slug.replace(/-/g, '_'),
  )

/**
 * The quarterly disaster-recovery drill, automated: restore a backup into a scratch database,
 * prove the committed migrations apply, boot Payload on it, compare what it holds with the
 * manifest, check a random sample of media objects in storage, then drop the scratch database.
 * Never throws: failures are in the report, and the result is recorded for the metrics.
 */
export const runDrill = async ({
  env,
  backup,
  sampleSize,
  progress,
}: RunDrillArgs): Promise<DrillReport> => {
  const startedAt = new Date()
  const secrets = getEnvSecretValues(env)
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
  let hasFailed = false

  const step = async <T>(
    name: string,
    work: () => Promise<{ value: T; detail: string }>,
    { isCleanup = false } = {},
  ): Promise<{ value?: T; seconds: number }> => {
    const record = (entry: Omit<DrillStep, 'name'>) => {
      report.steps.push({ name, ...entry })
      progress(`${name}: ${entry.status}${entry.detail ? ` — ${entry.detail}` : ''}`)
    }
    if (hasFailed && !isCleanup) {
      record({ status: 'skipped', seconds: 0, detail: 'an earlier step failed' })
      return { seconds: 0 }
    }
    const started = performance.now()
    const seconds = () => Math.round(performance.now() - started) / 1000
    try {
      const { value, detail } = await work()
      record({ status: 'passed', seconds: seconds(), detail })
      return { value, seconds: seconds() }
    } catch (error) {
      const message = describeFailure(error, secrets)
      record({ status: 'failed', seconds: seconds(), detail: message })
      report.problems.push(`${name}: ${message}`)
      hasFailed = true
      return { seconds: seconds() }
    }
  }

  let scratchUrl: string | undefined
  let isScratchCreated = false
  let payload: Payload | undefined
  // The app is loaded first, while nothing else is in flight: imported after the restore's child
  // processes and connections, the config's import sometimes never completed. Where the scratch
  // database cannot be chosen (it would be the live one), the restore step reports why.
  const plannedScratchUrl = (() => {
    try {
      return chooseScratchDatabaseUrl({
        databaseUrl: env.DATABASE_URL,
        drillDatabaseUrl: env.DRILL_DATABASE_URL,
        now: startedAt,
      })
    } catch {
      return undefined
    }
  })()
  const app = plannedScratchUrl ? await loadAppAgainst(plannedScratchUrl) : undefined
  try {
    const { value: located } = await step<LocatedBackup>('Find and verify the backup', async () => {
      const found = await locateBackup({
        backupDir: path.resolve(env.BACKUP_DIR),
        bucket,
        reference: backup,
        downloadDir,
      })
      Object.assign(report, {
        backupId: found.manifest.id,
        backupCreatedAt: found.manifest.createdAt,
        backupSource: found.source,
        backupAgeSeconds: (startedAt.getTime() - Date.parse(found.manifest.createdAt)) / 1000,
      })
      await verifyDump(found)
      return {
        value: found,
        detail: `${found.manifest.id} from ${found.source === 'bucket' ? 'the bucket' : found.dumpFile}: ${found.manifest.dump.bytes} bytes, sha256 matches the manifest`,
      }
    })

    const restore = await step('Restore into a scratch database', async () => {
      if (!located) throw new OpsJobError('no backup')
      await findPgTool({ tool: 'pg_restore', requiredMajor: located.manifest.dump.pgDumpMajor })
      scratchUrl =
        plannedScratchUrl ??
        chooseScratchDatabaseUrl({
          databaseUrl: env.DATABASE_URL,
          drillDatabaseUrl: env.DRILL_DATABASE_URL,
          now: startedAt,
        })
      report.scratchDatabase = databaseNameOf(scratchUrl)
      await createScratchDatabase(scratchUrl)
      isScratchCreated = true
      await runPgTool({
        tool: 'pg_restore',
        databaseUrl: scratchUrl,
        // The scratch database belongs to whoever runs the drill, not to the production roles.
        args: ['--no-owner', '--no-privileges', '--exit-on-error', located.dumpFile],
      })
      return { value: undefined, detail: `pg_restore into ${report.scratchDatabase}` }
    })
    if (!hasFailed) report.restoreSeconds = restore.seconds

    const { value: restored } = await step<DatabaseContents>('Compare row counts', async () => {
      if (!located || !scratchUrl) throw new OpsJobError('nothing restored')
      const contents = await withClient(scratchUrl, readDatabaseContents)
      const mismatches = compareRowCounts({
        expected: located.manifest.tables,
        actual: contents.tables,
      })
      const rows = Object.values(located.manifest.tables).reduce((total, count) => total + count, 0)
      report.rowCounts = { tables: Object.keys(located.manifest.tables).length, rows, mismatches }
      if (mismatches.length > 0) {
        throw new OpsJobError(
          `${mismatches.length} table(s) differ from the manifest: ${mismatches
            .map(
              ({ table, expected, actual }) =>
                `${table} has ${actual ?? 'no table'}, expected ${expected}`,
            )
            .join('; ')}`,
        )
      }
      return {
        value: contents,
        detail: `${report.rowCounts.tables} tables, ${rows} rows, as in the manifest`,
      }
    })

    const migrate = await step('Apply migrations and boot Payload', async () => {
      if (!restored || !scratchUrl) throw new OpsJobError('nothing restored')
      const committed = migrations.map((migration) => migration.name)
      const pendingAfterRestore = findPendingMigrations({
        committed,
        applied: restored.appliedMigrations,
      })
      if (!app) throw new OpsJobError('the app could not be loaded against the scratch database')
      payload = await app.boot()
      await payload.db.migrate({ migrations: migrations as unknown as Migration[] })
      const applied = (await withClient(scratchUrl, readDatabaseContents)).appliedMigrations
      const pendingAfterMigrate = findPendingMigrations({ committed, applied })
      report.migrations = { pendingAfterRestore, pendingAfterMigrate }
      if (pendingAfterMigrate.length > 0) {
        throw new OpsJobError(
          `migrations still pending after migrating: ${pendingAfterMigrate.join(', ')}`,
        )
      }
      return {
        value: undefined,
        detail:
          pendingAfterRestore.length > 0
            ? `applied ${pendingAfterRestore.length} migration(s) the backup predates: ${pendingAfterRestore.join(', ')}`
            : `all ${committed.length} committed migrations already applied; nothing pending`,
      }
    })
    if (!hasFailed) report.recoverySeconds = (report.restoreSeconds ?? 0) + migrate.seconds

    await step('Count documents through Payload', async () => {
      if (!payload || !located) throw new OpsJobError('Payload did not boot')
      const differences: string[] = []
      let checked = 0
      for (const { slug } of payload.config.collections) {
        const table = tableOfCollection(payload, slug)
        const expected = table ? located.manifest.tables[`public.${table}`] : undefined
        if (`public.${table}` === migrationsTable || expected === undefined) continue
        const { totalDocs } = await payload.count({ collection: slug, overrideAccess: true })
        checked += 1
        if (totalDocs !== expected) differences.push(`${slug}: ${totalDocs}, expected ${expected}`)
      }
      if (differences.length > 0) {
        throw new OpsJobError(`Payload counts differ from the manifest: ${differences.join('; ')}`)
      }
      return { value: undefined, detail: `${checked} collections match the manifest` }
    })

    await step('Check a sample of media objects', async () => {
      if (!payload || !scratchUrl) throw new OpsJobError('Payload did not boot')
      const ids = await withClient(scratchUrl, async (client) =>
        (
          await client.query<{ id: number }>('SELECT id FROM media ORDER BY random() LIMIT $1', [
            sampleSize,
          ])
        ).rows.map((row) => row.id),
      )
      const { docs } = await payload.find({
        collection: collectionSlugs.media,
        where: { id: { in: ids } },
        depth: 0,
        pagination: false,
        overrideAccess: true,
      })
      const keys = docs.flatMap((doc) => getMediaObjectKeys(doc))
      const missing = await findMissingMediaObjects({ env, keys })
      report.media = { documentsSampled: docs.length, objectsChecked: keys.length, missing }
      const where = env.r2
        ? `bucket ${env.r2.bucket}`
        : `MEDIA_DIR (${path.resolve(env.MEDIA_DIR)})`
      if (missing.length > 0) {
        throw new OpsJobError(
          `${missing.length} of ${keys.length} sampled objects are missing from ${where}: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''}`,
        )
      }
      return {
        value: undefined,
        detail: `${keys.length} objects of ${docs.length} media documents (every size) found in ${where}`,
      }
    })
  } finally {
    await step(
      'Drop the scratch database',
      async () => {
        if (payload) await closePayload(payload)
        await fs.promises.rm(downloadDir, { recursive: true, force: true })
        bucket?.close()
        if (!scratchUrl || !isScratchCreated) return { value: undefined, detail: 'nothing to drop' }
        await dropDatabase(scratchUrl)
        return { value: undefined, detail: `dropped ${report.scratchDatabase}` }
      },
      { isCleanup: true },
    )
  }

  const finishedAt = new Date()
  report.durationSeconds = (finishedAt.getTime() - startedAt.getTime()) / 1000
  try {
    await recordJobRun({
      databaseUrl: env.DATABASE_URL,
      job: 'drill',
      status: report.problems.length === 0 ? 'succeeded' : 'failed',
      startedAt,
      finishedAt,
      details: {
        backupId: report.backupId,
        restoreSeconds: report.restoreSeconds,
        recoverySeconds: report.recoverySeconds,
        backupAgeSeconds: report.backupAgeSeconds,
        error: report.problems[0],
      },
    })
    report.isRecorded = true
  } catch (error) {
    report.problems.push(
      `Recording the result in ops_job_runs failed (is \`npm run migrate\` done?): ${describeFailure(error, secrets)}`,
    )
  }
  report.status = report.problems.length === 0 ? 'succeeded' : 'failed'
  report.msg = report.status === 'succeeded' ? 'drill passed' : 'drill failed'
  return report
}
