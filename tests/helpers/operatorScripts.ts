import { spawn } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

import pg from 'pg'

import { dropDatabase, ensureDatabaseExists } from '../../src/database/createDatabase'
import { makeSharedTempDir } from '../setup/testDatabase'

export type ScriptRun = {
  code: number | null
  stdout: string
  stderr: string
  /** The last line of stdout parsed as JSON: the scripts' machine-readable summary. */
  summary: Record<string, unknown> & { status?: string; problems?: string[] }
}

/** Runs one of our scripts as `npm run …` does (tsx), as a real child process. */
export const runScript = (
  script: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<ScriptRun> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk))
    child.on('close', (code) => {
      const lastLine = stdout.trim().split('\n').at(-1) ?? ''
      let summary: ScriptRun['summary'] = {}
      try {
        summary = JSON.parse(lastLine) as ScriptRun['summary']
      } catch {
        // Left empty: the assertions on it then fail with the output in view.
      }
      resolve({ code, stdout, stderr, summary })
    })
  })

/** Fails with everything the script printed, so a broken run explains itself. */
export const expectExit = (run: ScriptRun, code: number): ScriptRun => {
  if (run.code !== code) {
    throw new Error(`expected exit ${code}, got ${run.code}\n${run.stdout}\n${run.stderr}`)
  }
  return run
}

const r2Variables = [
  'R2_ACCESS_KEY_ID',
  'R2_SECRET_ACCESS_KEY',
  'R2_BUCKET',
  'R2_ENDPOINT',
  'R2_PUBLIC_BASE',
]

/** The test worker's environment, without the bucket: media on local disk. */
export const withoutBucket = (env: NodeJS.ProcessEnv): NodeJS.ProcessEnv => {
  const copy = { ...env }
  for (const name of r2Variables) delete copy[name]
  return copy
}

/**
 * A database of its own on the run's PostgreSQL server (the shared one or the embedded one), for
 * tests that wipe or restore a whole database without disturbing the other files' data.
 */
export const createSiblingDatabase = async (label: string) => {
  const url = new URL(process.env.DATABASE_URL as string)
  url.pathname = `/catalog_${label}_${Date.now()}_${crypto.randomBytes(3).toString('hex')}`
  await ensureDatabaseExists(url.toString())
  return { url: url.toString(), dispose: () => dropDatabase(url.toString()) }
}

export const queryDatabase = async <T extends pg.QueryResultRow>(
  databaseUrl: string,
  text: string,
  values: unknown[] = [],
): Promise<T[]> => {
  const client = new pg.Client({ connectionString: databaseUrl })
  await client.connect()
  try {
    return (await client.query<T>(text, values)).rows
  } finally {
    await client.end()
  }
}

/** Databases on the server whose name starts with this prefix (scratch databases left behind). */
export const listDatabases = async (databaseUrl: string, prefix: string): Promise<string[]> =>
  (
    await queryDatabase<{ datname: string }>(
      databaseUrl,
      'SELECT datname FROM pg_database WHERE starts_with(datname, $1)',
      [prefix],
    )
  ).map((row) => row.datname)

/** A folder with a fake `pg_dump` (a shell script), to put first on PATH. */
export const makeFakePgDump = (script: string): string => {
  const dir = makeSharedTempDir('catalog-fake-pg-')
  fs.writeFileSync(path.join(dir, 'pg_dump'), `#!/bin/sh\n${script}\n`, { mode: 0o755 })
  return dir
}
