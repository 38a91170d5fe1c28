import { getEmbeddedPostgresDefaults } from '../config/localDefaults'
import { databaseExists, databaseNameOf, ensureDatabaseExists } from './createDatabase'
import { startEmbeddedPostgres, type RunningDatabase } from './embeddedPostgres'

/** The server answered, but has no database of the name DATABASE_URL gives. */
export class MissingDatabaseError extends Error {}

type PrepareDatabaseOptions = {
  /**
   * Create a configured database that does not exist yet (the server and migrations do). Tools that
   * only read it — backup, drill — must not: a mistyped DATABASE_URL would give them an empty
   * database that looks fine.
   */
  isCreatingMissing?: boolean
}

/**
 * Makes DATABASE_URL point at a database that exists: the configured server (creating the
 * database when missing, unless told not to) or, outside production with nothing configured, the
 * embedded one. Sets `process.env.DATABASE_URL` so child processes and the Payload config agree.
 */
export const prepareDatabase = async ({
  isCreatingMissing = true,
}: PrepareDatabaseOptions = {}): Promise<RunningDatabase> => {
  const configuredUrl = process.env.DATABASE_URL?.trim()
  if (configuredUrl) {
    if (isCreatingMissing) await ensureDatabaseExists(configuredUrl)
    else if (!(await databaseExists(configuredUrl))) {
      throw new MissingDatabaseError(
        `the database "${databaseNameOf(configuredUrl)}" named in DATABASE_URL does not exist on that server; check the URL`,
      )
    }
    return { url: configuredUrl, isOwnedByThisProcess: false, stop: async () => undefined }
  }
  if (process.env.NODE_ENV === 'production') {
    throw new Error('DATABASE_URL is required in production')
  }
  const database = await startEmbeddedPostgres(getEmbeddedPostgresDefaults())
  process.env.DATABASE_URL = database.url
  return database
}

/**
 * For entry points (server, CLI wrappers, scripts): the prepared database, or exit 1 with one
 * line an operator can act on instead of a stack trace. Connection errors from `pg` name the
 * host and the reason, never the password.
 */
export const prepareDatabaseOrExit = (): Promise<RunningDatabase> =>
  prepareDatabase().catch((error: Error) => {
    console.error(`catalog-cms cannot reach its database: ${error.message}`)
    process.exit(1)
  })
