import { spawn } from 'node:child_process'
import crypto from 'node:crypto'

import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { migrations } from '../../migrations'
import { migrationLockWaitMessage, withMigrationLock } from '../../src/jobs/migrationLock'
import { createTestDatabase, type TestDatabase } from '../setup/testDatabase'

type CliRun = { exitCode: number | null; output: string }

/** `npm run migrate` as a deploy step runs it: the real wrapper, in production mode. */
const runMigrateCli = (databaseUrl: string): Promise<CliRun> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/payload.ts', 'migrate'], {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        DATABASE_URL: databaseUrl,
        PAYLOAD_SECRET: crypto.randomBytes(32).toString('hex'),
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk))
    child.on('exit', (exitCode) => resolve({ exitCode, output }))
  })

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('migrations under the advisory lock', () => {
  let database: TestDatabase

  beforeAll(async () => {
    database = await createTestDatabase('migration_lock')
  })

  afterAll(async () => {
    await database?.dispose()
  })

  it('should apply each migration exactly once when three `npm run migrate` start at once', async () => {
    const runs = await Promise.all([1, 2, 3].map(() => runMigrateCli(database.url)))
    const waited = runs.filter((run) => run.output.includes(migrationLockWaitMessage)).length
    console.log(
      `three concurrent migrate runs: exit codes ${runs.map((run) => run.exitCode)}, ${waited} waited for the lock`,
    )

    for (const run of runs) expect(run.exitCode, run.output).toBe(0)
    const client = new pg.Client({ connectionString: database.url })
    await client.connect()
    try {
      const { rows } = await client.query<{ name: string; count: number }>(
        `SELECT name, count(*)::int AS count FROM payload_migrations
          WHERE name <> 'dev' GROUP BY name ORDER BY name`,
      )
      expect(rows).toEqual(migrations.map(({ name }) => ({ name, count: 1 })))
    } finally {
      await client.end()
    }
    // Three processes booting Payload one after another on a 2-core machine take a while.
  }, 240_000)

  it('should let only one holder run at a time, and release the lock when the work fails', async () => {
    let running = 0
    let mostAtOnce = 0
    let waits = 0
    const work = (shouldFail: boolean) =>
      withMigrationLock({
        databaseUrl: database.url,
        onWait: () => waits++,
        run: async () => {
          running++
          mostAtOnce = Math.max(mostAtOnce, running)
          await sleep(500)
          running--
          if (shouldFail) throw new Error('migration failed')
          return 'applied'
        },
      })

    const results = await Promise.allSettled([work(true), work(false), work(false)])
    expect(results.map((result) => result.status).sort()).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
    ])
    expect(mostAtOnce).toBe(1)
    expect(waits).toBeGreaterThanOrEqual(1)
  })
})
