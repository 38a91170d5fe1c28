import fs from 'node:fs'
import path from 'node:path'

import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { migrations } from '../../migrations'
import { formatBackupId, toBackupFileName } from '../../src/jobs/backup/backupFiles'
import { parseBackupManifest } from '../../src/jobs/backup/manifest'
import { getEnv } from '../../src/config/env'
import { getR2ClientConfig } from '../../src/storage/r2Client'
import { listBucketKeys } from '../helpers/bucket'
import {
  createSiblingDatabase,
  expectExit,
  listDatabases,
  makeFakePgDump,
  queryDatabase,
  runScript,
} from '../helpers/operatorScripts'
import { getFreePort } from '../setup/appServer'
import { makeSharedTempDir } from '../setup/testDatabase'

const dayMs = 24 * 60 * 60 * 1000

const readManifest = (dir: string, id: string) => {
  const file = path.join(dir, toBackupFileName(id, 'manifest'))
  return parseBackupManifest(fs.readFileSync(file, 'utf8'), file)
}

const putBucketObject = async (key: string) => {
  const { r2 } = getEnv()
  if (!r2) throw new Error('the test runs without a bucket')
  const client = new S3Client(getR2ClientConfig(r2))
  try {
    await client.send(new PutObjectCommand({ Bucket: r2.bucket, Key: key, Body: 'old backup' }))
  } finally {
    client.destroy()
  }
}

describe('npm run backup', () => {
  let source: Awaited<ReturnType<typeof createSiblingDatabase>>
  const backupDirs: string[] = []
  const newBackupDir = () => {
    const dir = makeSharedTempDir('catalog-backups-')
    backupDirs.push(dir)
    return dir
  }
  const envFor = (backupDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({
    ...process.env,
    DATABASE_URL: source.url,
    BACKUP_DIR: backupDir,
    ...extra,
  })

  beforeAll(async () => {
    source = await createSiblingDatabase('backup_source')
    // The sample catalog, with its images in the run's bucket: a real database to back up.
    expectExit(
      await runScript('scripts/seed.ts', [], { ...process.env, DATABASE_URL: source.url }),
      0,
    )
  })

  afterAll(async () => {
    await source?.dispose()
    for (const dir of backupDirs) fs.rmSync(dir, { recursive: true, force: true })
  })

  it('should write a verified dump and manifest locally and in the bucket, and print one JSON line', async () => {
    const backupDir = newBackupDir()
    const run = expectExit(await runScript('scripts/backup.ts', [], envFor(backupDir)), 0)

    expect(run.stdout.trim().split('\n')).toHaveLength(1)
    const { summary } = run
    expect(summary).toMatchObject({ msg: 'backup finished', status: 'succeeded', isRecorded: true })
    const id = summary.id as string
    expect(fs.readdirSync(backupDir).sort()).toEqual(
      [toBackupFileName(id, 'dump'), toBackupFileName(id, 'manifest')].sort(),
    )
    const manifest = readManifest(backupDir, id)
    const dump = fs.readFileSync(path.join(backupDir, manifest.dump.file))
    expect(dump.subarray(0, 5).toString()).toBe('PGDMP')
    expect(manifest.dump.bytes).toBe(dump.length)
    expect(fs.statSync(path.join(backupDir, manifest.dump.file)).mode & 0o077).toBe(0)

    const [{ items }] = await queryDatabase<{ items: number }>(
      source.url,
      'SELECT count(*)::int AS items FROM items',
    )
    expect(items).toBeGreaterThan(0)
    expect(manifest.tables['public.items']).toBe(items)
    const tables = await queryDatabase<{ name: string }>(
      source.url,
      "SELECT table_schema || '.' || table_name AS name FROM information_schema.tables WHERE table_schema = 'public'",
    )
    expect(Object.keys(manifest.tables).sort()).toEqual(tables.map((table) => table.name).sort())
    // The newest committed migration, whichever it is: adding one must not break this test.
    expect(manifest.migrations.latest).toBe(migrations.at(-1)?.name)
    const mediaKeys = (await listBucketKeys()).filter((key) => key.startsWith('media/'))
    expect(manifest.media).toMatchObject({ backend: 'r2', objects: mediaKeys.length })

    const bucketKeys = await listBucketKeys()
    expect(bucketKeys).toContain(`backups/${toBackupFileName(id, 'dump')}`)
    expect(bucketKeys).toContain(`backups/${toBackupFileName(id, 'manifest')}`)
    expect(JSON.stringify(summary)).not.toContain(process.env.R2_SECRET_ACCESS_KEY as string)

    const [recorded] = await queryDatabase<{ status: string; details: { backupId: string } }>(
      source.url,
      "SELECT status, details FROM ops_job_runs WHERE job = 'backup' ORDER BY id DESC LIMIT 1",
    )
    expect(recorded).toMatchObject({ status: 'succeeded', details: { backupId: id } })
  })

  it('should take a final backup with a media inventory that retention never removes', async () => {
    const backupDir = newBackupDir()
    const now = Date.now()
    const oldRegular = formatBackupId({ createdAt: new Date(now - 20 * dayMs), isFinal: false })
    const oldFinal = formatBackupId({ createdAt: new Date(now - 400 * dayMs), isFinal: true })
    const recent = formatBackupId({ createdAt: new Date(now - 2 * dayMs), isFinal: false })
    const planted = [oldRegular, oldFinal, recent].flatMap((id) => [
      toBackupFileName(id, 'dump'),
      toBackupFileName(id, 'manifest'),
    ])
    for (const name of [...planted, 'notes.txt']) fs.writeFileSync(path.join(backupDir, name), 'x')
    for (const name of planted) await putBucketObject(`backups/${name}`)

    const run = expectExit(
      await runScript(
        'scripts/backup.ts',
        ['--final'],
        envFor(backupDir, { BACKUP_RETENTION_DAYS: '7' }),
      ),
      0,
    )
    const id = run.summary.id as string
    expect(id).toMatch(/-final$/)

    const oldRegularFiles = [
      toBackupFileName(oldRegular, 'dump'),
      toBackupFileName(oldRegular, 'manifest'),
    ]
    const remaining = fs.readdirSync(backupDir)
    for (const name of oldRegularFiles) expect(remaining).not.toContain(name)
    for (const name of planted.filter((name) => !oldRegularFiles.includes(name))) {
      expect(remaining).toContain(name)
    }
    expect(remaining).toContain('notes.txt')
    const bucketKeys = await listBucketKeys()
    for (const name of oldRegularFiles) expect(bucketKeys).not.toContain(`backups/${name}`)
    expect(bucketKeys).toContain(`backups/${toBackupFileName(oldFinal, 'dump')}`)
    expect(bucketKeys).toContain(`backups/${toBackupFileName(id, 'mediaInventory')}`)

    const manifest = readManifest(backupDir, id)
    expect(manifest.isFinal).toBe(true)
    const inventory = JSON.parse(
      fs.readFileSync(path.join(backupDir, toBackupFileName(id, 'mediaInventory')), 'utf8'),
    ) as { objects: { key: string; bytes: number; etag: string }[]; totalObjects: number }
    const mediaKeys = bucketKeys.filter((key) => key.startsWith('media/'))
    expect(inventory.objects.map((object) => object.key).sort()).toEqual(mediaKeys.sort())
    expect(inventory.totalObjects).toBe(manifest.mediaInventory?.objects)
    for (const object of inventory.objects) {
      expect(object.bytes).toBeGreaterThan(0)
      expect(object.etag).toMatch(/^[0-9a-f]{32}$/)
    }
  })

  it('should say what to install when pg_dump is not on PATH, and write nothing', async () => {
    const backupDir = newBackupDir()
    const emptyPath = makeSharedTempDir('catalog-empty-path-')
    backupDirs.push(emptyPath)
    const run = expectExit(
      await runScript('scripts/backup.ts', [], envFor(backupDir, { PATH: emptyPath })),
      1,
    )
    expect(run.stderr).toMatch(/pg_dump was not found on PATH/)
    expect(run.stderr).toMatch(/apt-get install postgresql-client-15/)
    expect(run.summary).toMatchObject({ status: 'failed', isRecorded: true })
    expect(fs.readdirSync(backupDir)).toEqual([])
  })

  it('should refuse a pg_dump older than the server, naming both versions', async () => {
    const backupDir = newBackupDir()
    const fakeBin = makeFakePgDump('echo "pg_dump (PostgreSQL) 13.9"')
    backupDirs.push(fakeBin)
    const run = expectExit(
      await runScript(
        'scripts/backup.ts',
        [],
        envFor(backupDir, { PATH: `${fakeBin}:${process.env.PATH}` }),
      ),
      1,
    )
    expect(run.stderr).toMatch(/pg_dump \(PostgreSQL\) 13\.9.*too old.*PostgreSQL 15 server/)
    expect(fs.readdirSync(backupDir)).toEqual([])
  })

  it('should leave no file behind when pg_dump fails halfway through', async () => {
    const backupDir = newBackupDir()
    // Writes the start of an archive, then dies as a dump does when its connection drops.
    const fakeBin = makeFakePgDump(`
case "$*" in *--version*) echo "pg_dump (PostgreSQL) 15.4"; exit 0;; esac
for arg in "$@"; do case "$arg" in --file=*) printf 'PGDMP half an archive' > "\${arg#--file=}";; esac; done
echo "pg_dump: error: connection to server lost" >&2
exit 1`)
    backupDirs.push(fakeBin)
    const run = expectExit(
      await runScript(
        'scripts/backup.ts',
        [],
        envFor(backupDir, { PATH: `${fakeBin}:${process.env.PATH}` }),
      ),
      1,
    )
    expect(run.stderr).toMatch(/pg_dump failed: pg_dump: error: connection to server lost/)
    expect(fs.readdirSync(backupDir)).toEqual([])
    const [recorded] = await queryDatabase<{ status: string }>(
      source.url,
      "SELECT status FROM ops_job_runs WHERE job = 'backup' ORDER BY id DESC LIMIT 1",
    )
    expect(recorded?.status).toBe('failed')
  })

  it('should refuse a DATABASE_URL naming a database that does not exist, and not create it', async () => {
    const backupDir = newBackupDir()
    const missing = new URL(process.env.DATABASE_URL as string)
    missing.pathname = `/catalog_missing_${Date.now().toString(36)}`
    const run = expectExit(
      await runScript('scripts/backup.ts', [], envFor(backupDir, { DATABASE_URL: missing.href })),
      1,
    )
    expect(run.summary.status).toBe('failed')
    expect(run.stdout + run.stderr).toMatch(/named in DATABASE_URL does not exist on that server/)
    // The server answered: nothing to send the operator looking at the network for.
    expect(run.stdout + run.stderr).not.toMatch(/Cannot reach/)
    expect(
      await listDatabases(process.env.DATABASE_URL as string, missing.pathname.slice(1)),
    ).toEqual([])
    expect(fs.readdirSync(backupDir)).toEqual([])
  })

  it('should fail with one JSON line and write nothing when the database is unreachable', async () => {
    const backupDir = newBackupDir()
    const unreachable = `postgres://postgres:hunter2-not-real@127.0.0.1:${await getFreePort()}/catalog`
    const run = expectExit(
      await runScript('scripts/backup.ts', [], envFor(backupDir, { DATABASE_URL: unreachable })),
      1,
    )
    expect(run.summary.status).toBe('failed')
    expect(run.stdout + run.stderr).toMatch(/Cannot reach the database/)
    expect(run.stdout + run.stderr).not.toContain('hunter2-not-real')
    expect(fs.readdirSync(backupDir)).toEqual([])
  })
})
