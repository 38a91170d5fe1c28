import { execFile } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

import { afterAll, describe, expect, it } from 'vitest'

import {
  clusterLocationNote,
  getUnprivilegedAccount,
  loadBinaries,
  reachableBinaries,
  startEmbeddedPostgres,
} from '../../src/database/embeddedPostgres'
import { queryDatabase } from '../helpers/operatorScripts'
import { getFreePort } from '../setup/appServer'
import { makeSharedTempDir } from '../setup/testDatabase'

const execFileAsync = promisify(execFile)

/** Directories the tests made, each with the data directory inside it, if any. */
const createdDirs: { dir: string; dataDir?: string }[] = []

afterAll(() => {
  for (const { dir, dataDir } of createdDirs) {
    // A relocated cluster lives outside `dir`, where the note says.
    const note = dataDir && path.join(dataDir, clusterLocationNote)
    if (note && fs.existsSync(note))
      fs.rmSync(fs.readFileSync(note, 'utf8').trim(), { recursive: true, force: true })
    fs.rmSync(dir, { recursive: true, force: true })
  }
})

/**
 * A project cloned where the `postgres` account cannot enter: a `mktemp -d` directory (mode 0700),
 * as root's home is. Run as root, as these machines are, the embedded PostgreSQL runs as that
 * account; it must still find its binaries and a data directory it can use.
 */
const makePrivateDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-private-'))
  fs.chmodSync(dir, 0o700)
  createdDirs.push({ dir, dataDir: path.join(dir, 'postgres') })
  return dir
}

// One password for every start: a restarted cluster keeps the one it was created with.
const password = crypto.randomBytes(12).toString('hex')

const startIn = async (dataDir: string) =>
  startEmbeddedPostgres({
    dataDir,
    port: await getFreePort(),
    user: 'postgres',
    password,
    database: 'embedded',
  })

// Regression: the data directory's missing parents were made 0700 like the directory itself, which
// kept the postgres account out of a project it could otherwise enter.
it('should keep the cluster in a reachable data directory whose parents do not exist yet', async () => {
  const dir = makeSharedTempDir('catalog-reachable-')
  const dataDir = path.join(dir, '.data', 'postgres')
  createdDirs.push({ dir, dataDir })
  await (await startIn(dataDir)).stop()
  expect(fs.existsSync(path.join(dataDir, 'PG_VERSION'))).toBe(true)
  expect(fs.existsSync(path.join(dataDir, clusterLocationNote))).toBe(false)
})

describe('the embedded PostgreSQL in a directory only its owner can enter', () => {
  it('should keep data across restarts when the data directory is inside it', async () => {
    const dataDir = path.join(makePrivateDir(), 'postgres')
    const first = await startIn(dataDir)
    try {
      await queryDatabase(first.url, 'CREATE TABLE kept (note text)')
      await queryDatabase(first.url, "INSERT INTO kept VALUES ('survives a restart')")
    } finally {
      await first.stop()
    }
    const second = await startIn(dataDir)
    try {
      expect(second.isOwnedByThisProcess).toBe(true)
      expect(await queryDatabase(second.url, 'SELECT note FROM kept')).toEqual([
        { note: 'survives a restart' },
      ])
    } finally {
      await second.stop()
    }
  })

  it('should run its binaries when the package is installed inside it', async () => {
    const installed = await loadBinaries()
    // The package as it would sit in a node_modules under the private directory.
    const packageDir = path.join(makePrivateDir(), 'linux-x64')
    fs.symlinkSync(path.resolve(installed.postgres, '..', '..', '..'), packageDir)
    const inside = {
      initdb: path.join(packageDir, 'native', 'bin', 'initdb'),
      pg_ctl: path.join(packageDir, 'native', 'bin', 'pg_ctl'),
      postgres: path.join(packageDir, 'native', 'bin', 'postgres'),
    }
    const runAs = await getUnprivilegedAccount()
    const binaries = await reachableBinaries(inside, runAs)
    for (const binary of Object.values(binaries)) {
      const { stdout } = await execFileAsync(binary, ['--version'], runAs)
      expect(stdout).toMatch(/\(PostgreSQL\) 15\./)
    }
  })
})
