import fs from 'node:fs'
import path from 'node:path'

import type { Payload } from 'payload'
import type pg from 'pg'

import { migrations } from '../../../migrations'
import { collectionSlugs } from '../../../collections/slugs'
import { getMediaObjectKeys } from '../../../plugins/mediaStorage'
import { applyMigrations, getCollectionTableName } from '../../../plugins/payloadInternals'
import { closePayload } from '../../database/closePayload'
import { databaseNameOf, dropDatabase, withDatabaseClient } from '../../database/createDatabase'
import type { JobStep } from '../jobSteps'
import { BackupJobError } from './backupJobError'
import type { BucketBackupStore } from './backupStore'
import {
  findPendingMigrations,
  readDatabaseContents,
  type DatabaseContents,
} from './databaseContents'
import type { DrillReport } from './drillReport'
import { locateBackup, verifyDump, type LocatedBackup } from './locateBackup'
import { compareRowCounts } from './manifest'
import { findMissingMediaObjects } from './mediaObjects'
import { findPgTool, runPgTool } from './pgTools'
import type { DrillEnv } from './runDrill'
import { chooseScratchDatabaseUrl, createScratchDatabase } from './scratchDatabase'

/** What the steps of one drill share: its settings, its report, and what earlier steps made. */
export type DrillContext = {
  env: DrillEnv
  /** A backup id or a path; the newest backup when absent. */
  backup?: string
  sampleSize: number
  startedAt: Date
  report: DrillReport
  bucket?: BucketBackupStore
  downloadDir: string
  /** The scratch database chosen before the steps run; absent when it could not be chosen. */
  plannedScratchUrl?: string
  /** The app, loaded against the planned scratch database, not yet booted. */
  app?: { boot: () => Promise<Payload> }
  located?: LocatedBackup
  scratchUrl?: string
  isScratchCreated: boolean
  restored?: DatabaseContents
  payload?: Payload
}

export type DrillJobStep = JobStep<DrillContext>

/** Rows of this table are expected to change when a drill applies migrations a backup predates. */
const migrationsTable = 'public.payload_migrations'

const withClient = <T>(databaseUrl: string, work: (client: pg.Client) => Promise<T>) =>
  withDatabaseClient(databaseUrl, work, { applicationName: 'catalog-cms-drill' })

export const findBackupStep: DrillJobStep = {
  name: 'Find and verify the backup',
  run: async (context) => {
    const { env, bucket, backup, downloadDir, report, startedAt } = context
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
    context.located = found
    return `${found.manifest.id} from ${found.source === 'bucket' ? 'the bucket' : found.dumpFile}: ${found.manifest.dump.bytes} bytes, sha256 matches the manifest`
  },
}

export const restoreStep: DrillJobStep = {
  name: 'Restore into a scratch database',
  run: async (context) => {
    const { env, report, startedAt, located } = context
    if (!located) throw new BackupJobError('no backup')
    await findPgTool({ tool: 'pg_restore', requiredMajor: located.manifest.dump.pgDumpMajor })
    const scratchUrl =
      context.plannedScratchUrl ??
      chooseScratchDatabaseUrl({
        databaseUrl: env.DATABASE_URL,
        drillDatabaseUrl: env.DRILL_DATABASE_URL,
        now: startedAt,
      })
    context.scratchUrl = scratchUrl
    report.scratchDatabase = databaseNameOf(scratchUrl)
    await createScratchDatabase(scratchUrl)
    context.isScratchCreated = true
    await runPgTool({
      tool: 'pg_restore',
      databaseUrl: scratchUrl,
      // The scratch database belongs to whoever runs the drill, not to the production roles.
      args: ['--no-owner', '--no-privileges', '--exit-on-error', located.dumpFile],
    })
    return `pg_restore into ${report.scratchDatabase}`
  },
}

const compareRowCountsStep: DrillJobStep = {
  name: 'Compare row counts',
  run: async (context) => {
    const { located, scratchUrl, report } = context
    if (!located || !scratchUrl) throw new BackupJobError('nothing restored')
    const contents = await withClient(scratchUrl, readDatabaseContents)
    const mismatches = compareRowCounts({
      expected: located.manifest.tables,
      actual: contents.tables,
    })
    const rows = Object.values(located.manifest.tables).reduce((total, count) => total + count, 0)
    report.rowCounts = { tables: Object.keys(located.manifest.tables).length, rows, mismatches }
    if (mismatches.length > 0) {
      throw new BackupJobError(
        `${mismatches.length} table(s) differ from the manifest: ${mismatches
          .map(
            ({ table, expected, actual }) =>
              `${table} has ${actual ?? 'no table'}, expected ${expected}`,
          )
          .join('; ')}`,
      )
    }
    context.restored = contents
    return `${report.rowCounts.tables} tables, ${rows} rows, as in the manifest`
  },
}

export const migrateStep: DrillJobStep = {
  name: 'Apply migrations and boot Payload',
  run: async (context) => {
    const { restored, scratchUrl, app, report } = context
    if (!restored || !scratchUrl) throw new BackupJobError('nothing restored')
    const committed = migrations.map((migration) => migration.name)
    const pendingAfterRestore = findPendingMigrations({
      committed,
      applied: restored.appliedMigrations,
    })
    if (!app) throw new BackupJobError('the app could not be loaded against the scratch database')
    const payload = await app.boot()
    context.payload = payload
    await applyMigrations({ payload, migrations })
    const applied = (await withClient(scratchUrl, readDatabaseContents)).appliedMigrations
    const pendingAfterMigrate = findPendingMigrations({ committed, applied })
    report.migrations = { pendingAfterRestore, pendingAfterMigrate }
    if (pendingAfterMigrate.length > 0) {
      throw new BackupJobError(
        `migrations still pending after migrating: ${pendingAfterMigrate.join(', ')}`,
      )
    }
    return pendingAfterRestore.length > 0
      ? `applied ${pendingAfterRestore.length} migration(s) the backup predates: ${pendingAfterRestore.join(', ')}`
      : `all ${committed.length} committed migrations already applied; nothing pending`
  },
}

const countDocumentsStep: DrillJobStep = {
  name: 'Count documents through Payload',
  run: async ({ payload, located }) => {
    if (!payload || !located) throw new BackupJobError('Payload did not boot')
    const differences: string[] = []
    let checked = 0
    for (const { slug } of payload.config.collections) {
      const table = getCollectionTableName({ payload, slug })
      const expected = table ? located.manifest.tables[`public.${table}`] : undefined
      if (`public.${table}` === migrationsTable || expected === undefined) continue
      const { totalDocs } = await payload.count({ collection: slug, overrideAccess: true })
      checked += 1
      if (totalDocs !== expected) differences.push(`${slug}: ${totalDocs}, expected ${expected}`)
    }
    if (differences.length > 0) {
      throw new BackupJobError(`Payload counts differ from the manifest: ${differences.join('; ')}`)
    }
    return `${checked} collections match the manifest`
  },
}

const checkMediaStep: DrillJobStep = {
  name: 'Check a sample of media objects',
  run: async ({ payload, scratchUrl, sampleSize, env, report }) => {
    if (!payload || !scratchUrl) throw new BackupJobError('Payload did not boot')
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
    const where = env.r2 ? `bucket ${env.r2.bucket}` : `MEDIA_DIR (${path.resolve(env.MEDIA_DIR)})`
    if (missing.length > 0) {
      throw new BackupJobError(
        `${missing.length} of ${keys.length} sampled objects are missing from ${where}: ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ', …' : ''}`,
      )
    }
    return `${keys.length} objects of ${docs.length} media documents (every size) found in ${where}`
  },
}

/** Runs even when a step failed: closes what the drill opened and drops what it created. */
const dropScratchDatabaseStep: DrillJobStep = {
  name: 'Drop the scratch database',
  isCleanup: true,
  run: async ({ payload, downloadDir, bucket, scratchUrl, isScratchCreated, report }) => {
    if (payload) await closePayload(payload)
    await fs.promises.rm(downloadDir, { recursive: true, force: true })
    bucket?.close()
    if (!scratchUrl || !isScratchCreated) return 'nothing to drop'
    await dropDatabase(scratchUrl)
    return `dropped ${report.scratchDatabase}`
  },
}

/** The drill, in order. The steps' names are the rows of the report operators read. */
export const drillSteps: readonly DrillJobStep[] = [
  findBackupStep,
  restoreStep,
  compareRowCountsStep,
  migrateStep,
  countDocumentsStep,
  checkMediaStep,
  dropScratchDatabaseStep,
]
