import fs from 'node:fs'
import path from 'node:path'

import pg from 'pg'

import type { AppEnv } from '../../config/env'
import { databaseNameOf } from '../../database/createDatabase'
import { partialSuffix } from './backupFiles'
import { describeFailure, BackupJobError } from './backupJobError'
import { hashFile } from './backupStore'
import { readDatabaseContents, readServerVersion } from './databaseContents'
import type { BackupManifest } from './manifest'
import { findPgTool, runPgTool } from './pgTools'

export type DumpResult = Pick<BackupManifest, 'database' | 'dump' | 'tables' | 'migrations'>

/**
 * pg_dump of the database in one exported snapshot, with the row counts and migrations read in
 * that same snapshot, so the manifest describes exactly what the dump holds even while editors
 * keep writing. The dump is written under a partial name, checked with `pg_restore --list`, and
 * only then renamed: a failed or interrupted dump never leaves a file that looks good.
 */
export const dumpDatabase = async ({
  env,
  dumpFile,
  progress,
}: {
  env: Pick<AppEnv, 'DATABASE_URL'>
  dumpFile: string
  progress: (message: string) => void
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
    throw new BackupJobError(
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
