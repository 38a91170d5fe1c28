import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { dropDatabase, ensureDatabaseExists } from '../../src/database/createDatabase'
import { startEmbeddedPostgres } from '../../src/database/embeddedPostgres'
import { getFreePort } from './appServer'

export type TestDatabase = {
  url: string
  /** Where the database lives, for the test report. */
  kind: 'server' | 'embedded'
  dispose: () => Promise<void>
}

/** A directory the unprivileged `postgres` account can traverse when tests run as root. */
export const makeSharedTempDir = (prefix: string): string => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  fs.chmodSync(dir, 0o755)
  return dir
}

/**
 * A fresh, empty database for one test run: a new database on the server in DATABASE_URL (as CI
 * has), or a throwaway embedded PostgreSQL when none is configured (as a newcomer's machine).
 * Disposing drops it, so runs leave nothing behind.
 */
export const createTestDatabase = async (label: string): Promise<TestDatabase> => {
  const serverUrl = process.env.DATABASE_URL?.trim()
  const name = `catalog_${label}_${Date.now()}_${crypto.randomBytes(3).toString('hex')}`
  if (serverUrl) {
    const url = new URL(serverUrl)
    url.pathname = `/${name}`
    await ensureDatabaseExists(url.toString())
    return { url: url.toString(), kind: 'server', dispose: () => dropDatabase(url.toString()) }
  }
  const workDir = makeSharedTempDir(`catalog-${label}-`)
  const database = await startEmbeddedPostgres({
    dataDir: path.join(workDir, 'postgres'),
    port: await getFreePort(),
    user: 'postgres',
    password: crypto.randomBytes(12).toString('hex'),
    database: name,
  })
  return {
    url: database.url,
    kind: 'embedded',
    dispose: async () => {
      await database.stop()
      fs.rmSync(workDir, { recursive: true, force: true })
    },
  }
}
