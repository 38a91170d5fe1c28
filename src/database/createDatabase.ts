import pg from 'pg'

const duplicateDatabaseCode = '42P04'

/** The database a PostgreSQL URL names (`postgres://host/catalog` → `catalog`); '' when none. */
export const databaseNameOf = (databaseUrl: string): string =>
  decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, ''))

/**
 * Connects, hands the client to `work`, and always disconnects: for short jobs that need one
 * connection (not a pool). An error on the idle connection is not a crash; `work` sees it anyway.
 */
export const withDatabaseClient = async <T>(
  databaseUrl: string,
  work: (client: pg.Client) => Promise<T>,
  { applicationName }: { applicationName?: string } = {},
): Promise<T> => {
  const client = new pg.Client({
    connectionString: databaseUrl,
    application_name: applicationName,
    connectionTimeoutMillis: 10_000,
  })
  client.on('error', () => undefined)
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end().catch(() => undefined)
  }
}

/**
 * Runs `work` on the server's `postgres` maintenance database, for creating and dropping the
 * database named in the URL (which cannot be done while connected to it).
 */
export const withMaintenanceClient = async <T>(
  databaseUrl: string,
  work: (client: pg.Client, database: string) => Promise<T>,
): Promise<T> => {
  const database = databaseNameOf(databaseUrl)
  if (!database)
    throw new Error('DATABASE_URL must name a database, e.g. postgres://host:5432/catalog')
  const maintenanceUrl = new URL(databaseUrl)
  maintenanceUrl.pathname = '/postgres'
  return withDatabaseClient(maintenanceUrl.toString(), (client) => work(client, database))
}

const hasDatabase = async (client: pg.Client, database: string) =>
  Boolean((await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rowCount)

/** Whether the server has the database named in the URL. */
export const databaseExists = (databaseUrl: string): Promise<boolean> =>
  withMaintenanceClient(databaseUrl, hasDatabase)

/** Creates the database named in the URL when the server does not have it yet. */
export const ensureDatabaseExists = (databaseUrl: string): Promise<'created' | 'existing'> =>
  withMaintenanceClient(databaseUrl, async (client, database) => {
    if (await hasDatabase(client, database)) return 'existing'
    try {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`)
      return 'created'
    } catch (error) {
      // Another replica or test worker created it between our check and our create.
      if ((error as { code?: string }).code === duplicateDatabaseCode) return 'existing'
      throw error
    }
  })

/** Drops the database named in the URL, disconnecting anyone still using it. */
export const dropDatabase = (databaseUrl: string): Promise<void> =>
  withMaintenanceClient(databaseUrl, async (client, database) => {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(database)} WITH (FORCE)`)
  })
