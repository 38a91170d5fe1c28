import fs from 'node:fs'
import path from 'node:path'

import pg from 'pg'

import type { AppEnv } from '../../config/env'
import { getEnvSecretValues } from '../../server/observability/logger'
import { databaseNameOf } from '../../database/createDatabase'
import { getStorageUsage } from '../../storage/storageUsage'
import { formatBackupId, partialSuffix, selectFilesToPrune, toBackupFileName } from './backupFiles'
import {
  createBucketBackupStore,
  hashFile,
  listLocalBackupNames,
  removeLocalFiles,
  writeFileAtomically,
} from './backupStore'
import { readDatabaseContents, readServerVersion } from './databaseContents'
import { recordJobRun } from './jobRuns'
import type { BackupManifest } from './manifest'
import { listMediaObjects } from './mediaObjects'
import { describeFailure, OpsJobError } from './opsJobError'
import { findPgTool, runPgTool } from './pgTools'

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

type DumpResult = Pick<BackupManifest, 'database' | 'dump' | 'tables' | 'migrations'>

/**
 * pg_dump of the database in one exported snapshot, with the row counts and migrations read in
 * that same snapshot, so the manifest describes exactly what the dump holds even while editors
 * keep writing. The dump is written under a partial name, checked with `pg_restore --list`, and
 * only then renamed: a failed or interrupted dump never leaves a file that looks good.
 */
const dumpDatabase = async ({
  env,
  dumpFile,
  progress,
}: {
  env: BackupEnv
  dumpFile: string
  progress: RunBackupArgs['progress']
}): Promise<DumpResult> => {
  const client = new pg.Client({
    connectionString: env.DATABASE_URL,
    application_name: 'catalog-cms-backup',
    connectionTimeoutMillis: 10_000,
  })
  client.on('error', () => undefined)
  try {
    await client.connect()
  } catch (error) {
    throw new OpsJobError(
      `Cannot reach the database in DATABASE_URL: ${describeFailure(error, [])}. Nothing was written.`,
    )
  }
  const partial = `${dumpFile}${partialSuffix}`
  try {
    const server = await readServerVersion(client)
    const pgDump = await findPgTool({ tool: 'pg_dump', requiredMajor: server.major })
    // The drill needs pg_restore of the same generation; finding out now beats finding out then.
    await findPgTool({ tool: 'pg_restore', requiredMajor: pgDump.major })

    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY')
    const { rows } = await client.query<{ snapshot: string }>(
      'SELECT pg_export_snapshot() AS snapshot',
    )
    const contents = await readDatabaseContents(client)
    progress(`Dumping ${Object.keys(contents.tables).length} tables with ${pgDump.text}`)
    await runPgTool({
      tool: 'pg_dump',
      databaseUrl: env.DATABASE_URL,
      args: ['--format=custom', `--snapshot=${rows[0]?.snapshot}`, `--file=${partial}`],
    })
    await client.query('COMMIT')
    await fs.promises.chmod(partial, 0o600)
    // Reads the archive's table of contents: catches a file pg_restore could not even open.
    await runPgTool({ tool: 'pg_restore', args: ['--list', partial] })
    const { bytes, digest: sha256 } = await hashFile(partial)
    await fs.promises.rename(partial, dumpFile)
    return {
      database: {
        name: databaseNameOf(env.DATABASE_URL),
        serverVersion: server.text,
      },
      dump: {
        file: path.basename(dumpFile),
        format: 'custom',
        bytes,
        sha256,
        pgDumpVersion: pgDump.text,
        pgDumpMajor: pgDump.major,
      },
      tables: contents.tables,
      migrations: {
        applied: contents.appliedMigrations,
        latest: contents.appliedMigrations.at(-1) ?? null,
      },
    }
  } finally {
    await fs.promises.rm(partial, { force: true })
    await client.end().catch(() => undefined)
  }
}

/**
 * `npm run backup`: dump, manifest, media inventory for final backups, upload to the bucket,
 * retention, and the result recorded for the metrics. Never throws: every failure ends up in
 * `problems` and makes the status `failed`; what was completed before a failure is kept only if
 * it is whole (a dump with its checksum verified).
 */
export const runBackup = async ({
  env,
  isFinal,
  progress,
}: RunBackupArgs): Promise<BackupSummary> => {
  const startedAt = new Date()
  const id = formatBackupId({ createdAt: startedAt, isFinal })
  const dir = path.resolve(env.BACKUP_DIR)
  const fileOf = (kind: Parameters<typeof toBackupFileName>[1]) =>
    path.join(dir, toBackupFileName(id, kind))
  const secrets = getEnvSecretValues(env)
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
  const attempt = async (what: string, work: () => Promise<void>) => {
    try {
      await work()
    } catch (error) {
      summary.problems.push(`${what}: ${describeFailure(error, secrets)}`)
    }
  }
  const bucket = env.r2 ? createBucketBackupStore(env.r2) : undefined

  try {
    await fs.promises.mkdir(dir, { recursive: true, mode: 0o700 })
    const dumped = await dumpDatabase({ env, dumpFile: fileOf('dump'), progress })
    Object.assign(summary, {
      file: fileOf('dump'),
      bytes: dumped.dump.bytes,
      sha256: dumped.dump.sha256,
      tables: Object.keys(dumped.tables).length,
      rows: Object.values(dumped.tables).reduce((total, rows) => total + rows, 0),
    })
    progress(`Dump written: ${fileOf('dump')} (${dumped.dump.bytes} bytes)`)

    let media: BackupManifest['media']
    await attempt('Counting media objects failed', async () => {
      media = await getStorageUsage(env)
      summary.mediaObjects = media.objects
    })
    let mediaInventory: BackupManifest['mediaInventory']
    if (isFinal) {
      await attempt('Writing the media inventory failed', async () => {
        const objects = await listMediaObjects(env)
        const file = fileOf('mediaInventory')
        const inventory = {
          backupId: id,
          createdAt: new Date().toISOString(),
          backend: env.r2 ? 'r2' : 'local',
          bucket: env.r2?.bucket,
          prefix: env.r2 ? `${env.MEDIA_KEY_PREFIX}/` : undefined,
          objects,
          totalObjects: objects.length,
          totalBytes: objects.reduce((total, object) => total + object.bytes, 0),
        }
        await writeFileAtomically(file, `${JSON.stringify(inventory, null, 2)}\n`)
        mediaInventory = {
          file: path.basename(file),
          sha256: (await hashFile(file)).digest,
          objects: objects.length,
        }
        summary.mediaInventory = file
      })
    }

    const manifest: BackupManifest = {
      formatVersion: 1,
      id,
      createdAt: startedAt.toISOString(),
      isFinal,
      durationSeconds: (Date.now() - startedAt.getTime()) / 1000,
      ...dumped,
      media,
      mediaInventory,
    }
    // Written last: a manifest is what marks a backup as complete, locally and in the bucket.
    await writeFileAtomically(fileOf('manifest'), `${JSON.stringify(manifest, null, 2)}\n`)

    if (bucket) {
      await attempt(
        'Uploading to the bucket failed (the backup is only on local disk)',
        async () => {
          const files = [
            fileOf('dump'),
            mediaInventory && fileOf('mediaInventory'),
            fileOf('manifest'),
          ]
          for (const file of files.filter((candidate): candidate is string => Boolean(candidate))) {
            progress(`Uploading ${path.basename(file)} to the bucket`)
            summary.uploaded.push(await bucket.upload(file))
          }
        },
      )
    }

    const pruneArgs = {
      now: new Date(),
      retentionDays: env.BACKUP_RETENTION_DAYS,
      protectedIds: [id],
    }
    await attempt('Pruning old local backups failed', async () => {
      const names = selectFilesToPrune({ names: await listLocalBackupNames(dir), ...pruneArgs })
      await removeLocalFiles(dir, names)
      summary.pruned.local = names
    })
    if (bucket) {
      await attempt('Pruning old backups in the bucket failed', async () => {
        const names = selectFilesToPrune({ names: await bucket.listNames(), ...pruneArgs })
        await bucket.remove(names)
        summary.pruned.bucket = names
      })
    }
  } catch (error) {
    summary.problems.unshift(describeFailure(error, secrets))
  } finally {
    bucket?.close()
  }

  const finishedAt = new Date()
  summary.durationSeconds = (finishedAt.getTime() - startedAt.getTime()) / 1000
  const status = summary.problems.length === 0 ? 'succeeded' : 'failed'
  await attempt(
    'Recording the result in ops_job_runs failed (is `npm run migrate` done?)',
    async () => {
      await recordJobRun({
        databaseUrl: env.DATABASE_URL,
        job: 'backup',
        status,
        startedAt,
        finishedAt,
        details: {
          backupId: id,
          isFinal,
          bytes: summary.bytes,
          isUploaded: summary.uploaded.length > 0,
          error: summary.problems[0],
        },
      })
      summary.isRecorded = true
    },
  )
  summary.status = summary.problems.length === 0 ? 'succeeded' : 'failed'
  summary.msg = summary.status === 'succeeded' ? 'backup finished' : 'backup failed'
  return summary
}
