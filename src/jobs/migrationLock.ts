import { withDatabaseClient } from '../database/createDatabase'

/**
 * Key of the PostgreSQL advisory lock that every migration run holds. Advisory locks are scoped
 * to one database, so several catalog databases on one server never wait for each other. It shows
 * in `pg_locks` as `locktype = 'advisory'` with `objid` = this number.
 */
export const migrationLockKey = 7_201_611

/** `application_name` of the connection that holds the lock, to spot it in pg_stat_activity. */
export const migrationLockApplicationName = 'catalog-cms-migration-lock'

/** Payload CLI commands that change the schema, hence run under the lock. */
const schemaChangingCommands = new Set([
  'migrate',
  'migrate:down',
  'migrate:refresh',
  'migrate:reset',
  'migrate:fresh',
])

export const isSchemaChangingCommand = (command: string | undefined): boolean =>
  command !== undefined && schemaChangingCommands.has(command)

type WithMigrationLockArgs<T> = {
  databaseUrl: string
  /** Runs while this process holds the lock: apply the pending migrations here. */
  run: () => Promise<T>
  /** Called once when another process holds the lock and this one starts waiting for it. */
  onWait?: () => void
}

/**
 * Runs `run` while holding the migration lock, so replicas or deploy steps that start at once
 * apply each migration exactly once: the first applies them, the others wait, then find nothing
 * pending. The lock is a session lock on a connection of its own, released by ending that
 * session — also when this process dies, since PostgreSQL drops a dead client's locks.
 *
 * The connection must reach PostgreSQL itself or go through a session-mode pooler: a
 * transaction-mode pooler (PgBouncer `pool_mode = transaction`) cannot hold session locks.
 */
export const withMigrationLock = async <T>({
  databaseUrl,
  run,
  onWait,
}: WithMigrationLockArgs<T>): Promise<T> => {
  // Ending the session (withDatabaseClient always does) releases the lock; an explicit unlock
  // would add nothing.
  return withDatabaseClient(
    databaseUrl,
    async (client) => {
      const { rows } = await client.query<{ isAcquired: boolean }>(
        'SELECT pg_try_advisory_lock($1) AS "isAcquired"',
        [migrationLockKey],
      )
      if (!rows[0]?.isAcquired) {
        onWait?.()
        await client.query('SELECT pg_advisory_lock($1)', [migrationLockKey])
      }
      return run()
    },
    { applicationName: migrationLockApplicationName },
  )
}

export const migrationLockWaitMessage =
  'Another process is applying migrations on this database; waiting for it to finish.'
