import { InvalidEnvironmentError, parseEnv, type AppEnv } from '../../config/env'
import { loadEnvFiles } from '../../config/loadEnvFiles'
import type { RunningDatabase } from '../../database/embeddedPostgres'
import { MissingDatabaseError, prepareDatabase } from '../../database/prepareDatabase'
import { describeFailure } from './backupJobError'

/** For usage and environment errors of `npm run backup` and `npm run drill`: stderr, exit 1. */
export const exitWithError = (message: string): never => {
  console.error(message)
  process.exit(1)
}

/** Loads the .env files and validates the environment; an invalid one exits naming every problem. */
export const loadValidatedEnv = (): AppEnv => {
  loadEnvFiles()
  try {
    return parseEnv()
  } catch (error) {
    if (error instanceof InvalidEnvironmentError) return exitWithError(error.message)
    throw error
  }
}

/**
 * The database to back up or drill: DATABASE_URL, never created when missing (a mistyped URL must
 * not give an empty database that backs up fine), or the embedded one. When it cannot be reached,
 * the job's JSON line (the last line on stdout, whatever happens) says so, and the process exits 1.
 */
export const prepareBackupJobDatabase = (
  job: 'backup' | 'drill',
  nothingDone: string,
): Promise<RunningDatabase> =>
  prepareDatabase({ isCreatingMissing: false }).catch((error: unknown) => {
    // A missing database is no network problem: its message names the database and the URL.
    const reason = describeFailure(error, [])
    const problem =
      error instanceof MissingDatabaseError
        ? `Wrong database in DATABASE_URL: ${reason}. ${nothingDone}`
        : `Cannot reach the database: ${reason}. ${nothingDone}`
    console.log(JSON.stringify({ msg: `${job} failed`, status: 'failed', problems: [problem] }))
    const title = job === 'backup' ? 'Backup' : 'Drill'
    return exitWithError(`${title} failed: ${problem}`)
  })
