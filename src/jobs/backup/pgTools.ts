import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

import { BackupJobError } from './backupJobError'

const execFileAsync = promisify(execFile)

export type PgClientTool = 'pg_dump' | 'pg_restore'

export type PgToolVersion = { major: number; text: string }

/**
 * The oldest client tools we accept. Our servers are PostgreSQL 15 or newer (the embedded default
 * is 15 on purpose, to match Debian 12's `postgresql-client-15`), and archives written by older
 * tools are not something a drill should have to reason about.
 */
export const oldestSupportedMajor = 15

/**
 * `pg_dump (PostgreSQL) 15.20 (Debian 15.20-0+deb12u1)` → major 15. Versions before 10 were
 * numbered 9.6.x: their major comes out as 9, which is too old anyway.
 */
export const parsePgToolVersion = (output: string): PgToolVersion | undefined => {
  const match = /\(PostgreSQL\)\s+(\d+)/.exec(output)
  if (!match) return undefined
  return { major: Number(match[1]), text: output.trim().split('\n')[0] }
}

/** `SHOW server_version_num` (150020) → 15. */
export const toServerMajor = (serverVersionNum: string | number): number =>
  Math.floor(Number(serverVersionNum) / 10_000)

const installHint = (major: number) =>
  `Install the PostgreSQL ${major} client tools and put them first on PATH: on Debian or Ubuntu ` +
  `\`apt-get install postgresql-client-${major}\` (from the PGDG apt repository when the ` +
  `distribution lacks that version), on macOS \`brew install libpq@${major}\`.`

type CompatibilityArgs = {
  tool: PgClientTool
  version: PgToolVersion
  /**
   * pg_dump: the major of the server it dumps (it cannot read newer servers).
   * pg_restore: the major of the pg_dump that wrote the archive (it cannot read newer archives).
   */
  requiredMajor: number
}

/** Why this tool cannot do the job, in words an operator can act on; undefined when it can. */
export const describeIncompatibleTool = ({
  tool,
  version,
  requiredMajor,
}: CompatibilityArgs): string | undefined => {
  const neededMajor = Math.max(requiredMajor, oldestSupportedMajor)
  if (version.major >= neededMajor) return undefined
  const reason =
    tool === 'pg_dump'
      ? `it cannot dump a PostgreSQL ${requiredMajor} server`
      : `it cannot read an archive written by pg_dump ${requiredMajor}`
  return `${tool} on PATH is "${version.text}", which is too old: ${reason} (${neededMajor} or newer is needed). ${installHint(neededMajor)}`
}

type FindPgToolArgs = Omit<CompatibilityArgs, 'version'> & { env?: NodeJS.ProcessEnv }

/**
 * Runs `<tool> --version` from PATH and checks it can do the job; throws an `BackupJobError` that
 * says what to install when the tool is missing, unrecognisable or too old.
 */
export const findPgTool = async ({
  tool,
  requiredMajor,
  env = process.env,
}: FindPgToolArgs): Promise<PgToolVersion> => {
  let output: string
  try {
    output = (await execFileAsync(tool, ['--version'], { env })).stdout
  } catch (error) {
    const isMissing = (error as { code?: string }).code === 'ENOENT'
    throw new BackupJobError(
      isMissing
        ? `${tool} was not found on PATH. ${installHint(Math.max(requiredMajor, oldestSupportedMajor))}`
        : `${tool} --version failed: ${(error as Error).message}`,
    )
  }
  const version = parsePgToolVersion(output)
  if (!version) {
    throw new BackupJobError(
      `${tool} on PATH printed "${output.trim()}" for --version, which is not a PostgreSQL ${tool}. ${installHint(Math.max(requiredMajor, oldestSupportedMajor))}`,
    )
  }
  const problem = describeIncompatibleTool({ tool, version, requiredMajor })
  if (problem) throw new BackupJobError(problem)
  return version
}

/**
 * How libpq tools connect without the password on their command line (visible to anyone running
 * `ps`): the URL without it as `--dbname`, the password in PGPASSWORD.
 */
export const toLibpqConnection = (databaseUrl: string) => {
  const url = new URL(databaseUrl)
  const password = decodeURIComponent(url.password)
  url.password = ''
  return {
    dbname: url.toString(),
    env: password ? { PGPASSWORD: password } : {},
  }
}

type RunPgToolArgs = {
  tool: PgClientTool
  args: string[]
  /** The database to dump from or restore into; none for `pg_restore --list`. */
  databaseUrl?: string
}

/**
 * Runs pg_dump or pg_restore; resolves with what it printed on stdout. A failure carries the
 * tool's stderr as it is: `describeFailure` removes the password when the failure is reported.
 */
export const runPgTool = async ({ tool, args, databaseUrl }: RunPgToolArgs): Promise<string> => {
  const connection = databaseUrl ? toLibpqConnection(databaseUrl) : undefined
  try {
    const { stdout } = await execFileAsync(
      tool,
      [...(connection ? [`--dbname=${connection.dbname}`] : []), ...args],
      { env: { ...process.env, ...connection?.env }, maxBuffer: 64 * 1024 * 1024 },
    )
    return stdout
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string }
    throw new BackupJobError(`${tool} failed: ${(stderr || message).trim()}`)
  }
}
