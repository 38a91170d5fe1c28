import fs from 'node:fs'
import path from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { toBackupFileName } from '../../src/jobs/backup/backupFiles'
import type { DrillReport } from '../../src/jobs/backup/drillReport'
import { startJobRunsReporter } from '../../src/jobs/backup/jobRunsReporter'
import { parseBackupManifest, type BackupManifest } from '../../src/jobs/backup/manifest'
import { createAppLogger } from '../../src/server/observability/logger'
import { createAppMetrics } from '../../src/server/observability/metrics'
import { getEnv } from '../../src/config/env'
import {
  createSiblingDatabase,
  expectExit,
  listDatabases,
  queryDatabase,
  runScript,
  withoutBucket,
  type ScriptRun,
} from '../helpers/operatorScripts'
import { getFreePort } from '../setup/appServer'
import { makeSharedTempDir } from '../setup/testDatabase'

type Source = Awaited<ReturnType<typeof createSiblingDatabase>> & {
  env: NodeJS.ProcessEnv
  backupDir: string
}

/** Everything an editor or a user created is gone; the schema and the job history stay. */
const wipeContent = async (databaseUrl: string) => {
  const tables = await queryDatabase<{ name: string }>(
    databaseUrl,
    `SELECT quote_ident(table_name) AS name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_name NOT IN ('payload_migrations', 'ops_job_runs')`,
  )
  await queryDatabase(
    databaseUrl,
    `TRUNCATE ${tables.map((table) => table.name).join(', ')} CASCADE`,
  )
  const [{ items }] = await queryDatabase<{ items: number }>(
    databaseUrl,
    'SELECT count(*)::int AS items FROM items',
  )
  expect(items).toBe(0)
}

const reportOf = (run: ScriptRun) => run.summary as unknown as DrillReport

const manifestOf = (backupDir: string, id: string): BackupManifest => {
  const file = path.join(backupDir, toBackupFileName(id, 'manifest'))
  return parseBackupManifest(fs.readFileSync(file, 'utf8'), file)
}

describe('npm run drill', () => {
  const sources: Source[] = []
  const serverUrl = () => process.env.DATABASE_URL as string
  // Compared with the list before a run, so a database another run left on the shared server
  // does not fail this one.
  const listDrillDatabases = () => listDatabases(serverUrl(), 'catalog_drill_')
  const newDrillDatabases = async (before: string[]) =>
    (await listDrillDatabases()).filter((name) => !before.includes(name))

  const createSource = async (label: string, env: NodeJS.ProcessEnv): Promise<Source> => {
    const database = await createSiblingDatabase(label)
    const backupDir = makeSharedTempDir('catalog-drill-backups-')
    const source = {
      ...database,
      backupDir,
      env: { ...env, DATABASE_URL: database.url, BACKUP_DIR: backupDir },
    }
    sources.push(source)
    expectExit(await runScript('scripts/seed.ts', [], source.env), 0)
    return source
  }

  const backUp = async (source: Source) =>
    expectExit(await runScript('scripts/backup.ts', [], source.env), 0).summary.id as string

  afterAll(async () => {
    for (const source of sources) {
      await source.dispose()
      fs.rmSync(source.backupDir, { recursive: true, force: true })
    }
  })

  describe('with media in the bucket', () => {
    let source: Source
    let id: string
    let manifest: BackupManifest

    beforeAll(async () => {
      source = await createSource('restore_r2', process.env)
      id = await backUp(source)
      manifest = manifestOf(source.backupDir, id)
    })

    it('should restore a wiped database from the bucket with identical row counts and every sampled object', async () => {
      // Disaster: the content is gone, and so is the backup host's disk.
      await wipeContent(source.url)
      for (const name of fs.readdirSync(source.backupDir))
        fs.rmSync(path.join(source.backupDir, name))

      const before = await listDrillDatabases()
      const run = expectExit(
        await runScript('scripts/drill.ts', ['--backup', id, '--sample', '1000'], source.env),
        0,
      )
      const report = reportOf(run)
      expect(report).toMatchObject({
        status: 'succeeded',
        backupId: id,
        backupSource: 'bucket',
        isRecorded: true,
      })
      expect(report.rowCounts?.mismatches).toEqual([])
      expect(report.rowCounts?.rows).toBe(
        Object.values(manifest.tables).reduce((total, rows) => total + rows, 0),
      )
      expect(manifest.tables['public.items']).toBeGreaterThan(0)
      expect(report.migrations).toEqual({ pendingAfterRestore: [], pendingAfterMigrate: [] })
      // Every media document of the backup, each with its original and every generated size.
      expect(report.media?.documentsSampled).toBe(manifest.tables['public.media'])
      expect(report.media?.objectsChecked).toBeGreaterThan(report.media?.documentsSampled ?? 0)
      expect(report.media?.missing).toEqual([])
      expect(report.recoverySeconds).toBeGreaterThanOrEqual(report.restoreSeconds ?? Infinity)
      expect(report.backupAgeSeconds).toBeGreaterThan(0)
      expect(run.stdout).toMatch(/Restore drill of .*: PASSED/)
      expect(run.stdout).toMatch(/RTO \(restore, migrations, boot\):/)
      expect(await newDrillDatabases(before)).toEqual([])
    })

    it('should export the recorded backup and drill results as metrics', async () => {
      const metrics = createAppMetrics()
      const reporter = startJobRunsReporter({
        env: { DATABASE_URL: source.url },
        metrics,
        logger: createAppLogger({ ...getEnv(), LOG_LEVEL: 'silent' }),
        intervalMs: 60_000,
      })
      try {
        await reporter.refresh()
      } finally {
        await reporter.stop()
      }
      const valueOf = async (name: string) =>
        (await metrics.registry.getSingleMetric(name)?.get())?.values[0]?.value ?? 0
      const [backupRun] = await queryDatabase<{ finished: number }>(
        source.url,
        "SELECT extract(epoch FROM max(finished_at))::float AS finished FROM ops_job_runs WHERE job = 'backup' AND status = 'succeeded'",
      )
      expect(await valueOf('backup_last_success_timestamp_seconds')).toBeCloseTo(
        backupRun?.finished ?? 0,
        3,
      )
      expect(await valueOf('backup_last_size_bytes')).toBe(manifest.dump.bytes)
      expect(await valueOf('drill_last_success_timestamp_seconds')).toBeGreaterThan(0)
      expect(await valueOf('drill_last_recovery_seconds')).toBeGreaterThan(0)
      expect(await valueOf('drill_last_backup_age_seconds')).toBeGreaterThan(0)
      expect(await valueOf('drill_last_failure_timestamp_seconds')).toBe(0)
    })
  })

  describe('with media on local disk', () => {
    let source: Source
    let id: string
    // Made in beforeAll, so a run that filters these tests out leaves no directory behind.
    let mediaDir = ''

    beforeAll(async () => {
      mediaDir = makeSharedTempDir('catalog-drill-media-')
      source = await createSource('restore_local', {
        ...withoutBucket(process.env),
        MEDIA_DIR: mediaDir,
      })
      id = await backUp(source)
    })

    afterAll(() => {
      if (mediaDir) fs.rmSync(mediaDir, { recursive: true, force: true })
    })

    it('should restore the newest backup into DRILL_DATABASE_URL and drop it afterwards', async () => {
      await wipeContent(source.url)
      const drillUrl = new URL(source.url)
      drillUrl.pathname = `${drillUrl.pathname}_drill`
      const run = expectExit(
        await runScript('scripts/drill.ts', [], {
          ...source.env,
          DRILL_DATABASE_URL: drillUrl.toString(),
        }),
        0,
      )
      const report = reportOf(run)
      expect(report).toMatchObject({ status: 'succeeded', backupId: id, backupSource: 'local' })
      expect(report.rowCounts?.mismatches).toEqual([])
      expect(report.media?.documentsSampled).toBeGreaterThan(0)
      expect(report.media?.missing).toEqual([])
      expect(await listDatabases(serverUrl(), drillUrl.pathname.slice(1))).toEqual([])
    })

    it('should refuse to restore over the live database', async () => {
      const run = expectExit(
        await runScript('scripts/drill.ts', [], { ...source.env, DRILL_DATABASE_URL: source.url }),
        1,
      )
      expect(run.stdout).toMatch(/DRILL_DATABASE_URL names the live database/)
      const [{ migrations }] = await queryDatabase<{ migrations: number }>(
        source.url,
        'SELECT count(*)::int AS migrations FROM payload_migrations',
      )
      expect(migrations).toBeGreaterThan(0)
    })

    it('should fail loudly on a corrupted dump and restore nothing', async () => {
      const dump = path.join(source.backupDir, toBackupFileName(id, 'dump'))
      const original = fs.readFileSync(dump)
      try {
        const corrupted = Buffer.from(original)
        corrupted[Math.floor(corrupted.length / 2)] ^= 0xff
        fs.writeFileSync(dump, corrupted)
        const before = await listDrillDatabases()
        const run = expectExit(await runScript('scripts/drill.ts', ['--backup', id], source.env), 1)
        expect(run.stdout).toMatch(/FAILED/)
        expect(run.stdout).toMatch(/does not match its manifest.*corrupted or truncated/)
        expect(reportOf(run).steps.find((step) => step.name.startsWith('Restore'))?.status).toBe(
          'skipped',
        )
        expect(await newDrillDatabases(before)).toEqual([])
      } finally {
        fs.writeFileSync(dump, original)
      }
    })

    it('should fail loudly on a truncated dump, even one whose manifest was rewritten to match', async () => {
      const dumpName = toBackupFileName(id, 'dump')
      const copyDir = makeSharedTempDir('catalog-drill-truncated-')
      try {
        const original = fs.readFileSync(path.join(source.backupDir, dumpName))
        const truncated = original.subarray(0, Math.floor(original.length * 0.6))
        fs.writeFileSync(path.join(copyDir, dumpName), truncated)
        const manifest = manifestOf(source.backupDir, id)
        fs.writeFileSync(
          path.join(copyDir, toBackupFileName(id, 'manifest')),
          JSON.stringify(manifest),
        )
        const env = { ...source.env, BACKUP_DIR: copyDir }

        const plain = expectExit(await runScript('scripts/drill.ts', [], env), 1)
        expect(plain.stdout).toMatch(/corrupted or truncated/)

        const { digest: sha256 } = await import('../../src/jobs/backup/backupStore').then(
          ({ hashFile }) => hashFile(path.join(copyDir, dumpName)),
        )
        const forged = { ...manifest, dump: { ...manifest.dump, bytes: truncated.length, sha256 } }
        fs.writeFileSync(
          path.join(copyDir, toBackupFileName(id, 'manifest')),
          JSON.stringify(forged),
        )
        const before = await listDrillDatabases()
        const run = expectExit(await runScript('scripts/drill.ts', [], env), 1)
        const report = reportOf(run)
        expect(report.steps.find((step) => step.name.startsWith('Restore'))?.status).toBe('failed')
        expect(run.stdout).toMatch(/pg_restore failed/)
        expect(report.steps.at(-1)).toMatchObject({ status: 'passed' })
        expect(await newDrillDatabases(before)).toEqual([])
        const [recorded] = await queryDatabase<{ status: string }>(
          source.url,
          "SELECT status FROM ops_job_runs WHERE job = 'drill' ORDER BY id DESC LIMIT 1",
        )
        expect(recorded?.status).toBe('failed')
      } finally {
        fs.rmSync(copyDir, { recursive: true, force: true })
      }
    })
  })
  describe('on the embedded default (no DATABASE_URL)', () => {
    let localDataDir: string
    let env: NodeJS.ProcessEnv

    beforeAll(async () => {
      // A port of its own, not the fixed 54329: other checkouts on this machine may use that one.
      localDataDir = makeSharedTempDir('catalog-drill-embedded-')
      env = {
        ...withoutBucket(process.env),
        LOCAL_DATA_DIR: localDataDir,
        EMBEDDED_POSTGRES_PORT: String(await getFreePort()),
      }
      for (const name of ['DATABASE_URL', 'MEDIA_DIR', 'BACKUP_DIR']) delete env[name]
    })

    afterAll(() => {
      // Each script stops the embedded server it started; one left by a crashed script is ours.
      const pidFile = path.join(localDataDir, 'postgres', 'postmaster.pid')
      if (fs.existsSync(pidFile)) {
        process.kill(Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]), 'SIGINT')
      }
      fs.rmSync(localDataDir, { recursive: true, force: true })
    })

    it('should back up the embedded database with the Debian client tools and restore it in a drill', async () => {
      expectExit(await runScript('scripts/seed.ts', [], env), 0)
      const backup = expectExit(await runScript('scripts/backup.ts', [], env), 0)
      expect(backup.summary.file).toMatch(new RegExp(`^${localDataDir}/backups/`))

      const run = expectExit(await runScript('scripts/drill.ts', [], env), 0)
      const report = reportOf(run)
      expect(report).toMatchObject({ status: 'succeeded', backupId: backup.summary.id })
      expect(report.rowCounts?.mismatches).toEqual([])
      expect(report.rowCounts?.rows).toBeGreaterThan(0)
      expect(report.media?.documentsSampled).toBeGreaterThan(0)
      expect(report.media?.missing).toEqual([])
      expect(fs.existsSync(path.join(localDataDir, 'postgres', 'postmaster.pid'))).toBe(false)
    }, 300_000) // three scripts, each starting and stopping the embedded server
  })
})

// Regression: `npm run dev` on a new database logged a warning with a stack trace, because the
// gauge reporter reads before the first migration has run.
describe('the backup and drill gauge reporter', () => {
  it('should read a database that has not been migrated yet as one without runs, quietly', async () => {
    const empty = await createSiblingDatabase('job_runs_unmigrated')
    const logLines: string[] = []
    const metrics = createAppMetrics()
    const reporter = startJobRunsReporter({
      env: { DATABASE_URL: empty.url },
      metrics,
      logger: createAppLogger(
        { ...getEnv(), LOG_LEVEL: 'warn' },
        { write: (line: string) => void logLines.push(line) },
      ),
    })
    try {
      await reporter.refresh()
    } finally {
      await reporter.stop()
      await empty.dispose()
    }
    expect(logLines).toEqual([])
    const backupGauge = await metrics.registry
      .getSingleMetric('backup_last_success_timestamp_seconds')
      ?.get()
    expect(backupGauge?.values[0]?.value ?? 0).toBe(0)
  })
})
