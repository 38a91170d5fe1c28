import type pg from 'pg'

import { toServerMajor } from './pgTools'

export type DatabaseContents = {
  /** Rows per table, keyed `schema.table`. */
  tables: Record<string, number>
  /** Applied Payload migrations, oldest first. */
  appliedMigrations: string[]
}

/**
 * Counts the rows of every table and reads the applied migrations, on this client's connection:
 * inside a snapshot transaction they describe exactly what pg_dump sees in that snapshot.
 */
export const readDatabaseContents = async (client: pg.Client): Promise<DatabaseContents> => {
  const { rows: tableRows } = await client.query<{ schema: string; name: string }>(
    `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
     WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
     ORDER BY table_schema, table_name`,
  )
  const tables: Record<string, number> = {}
  for (const { schema, name } of tableRows) {
    const qualified = `${client.escapeIdentifier(schema)}.${client.escapeIdentifier(name)}`
    const { rows } = await client.query<{ count: string }>(
      `SELECT count(*) AS count FROM ${qualified}`,
    )
    tables[`${schema}.${name}`] = Number(rows[0]?.count ?? 0)
  }
  const appliedMigrations =
    'public.payload_migrations' in tables
      ? (
          await client.query<{ name: string }>(
            // Payload records a schema push in development as batch -1; it is not a migration.
            'SELECT name FROM payload_migrations WHERE batch > 0 ORDER BY id',
          )
        ).rows.map((row) => row.name)
      : []
  return { tables, appliedMigrations }
}

export const readServerVersion = async (client: pg.Client) => {
  const { rows } = await client.query<{ version: string; num: string }>(
    "SELECT current_setting('server_version') AS version, current_setting('server_version_num') AS num",
  )
  const row = rows[0] as { version: string; num: string }
  return { text: row.version, major: toServerMajor(row.num) }
}

/** Committed migrations the database has not applied, in order. */
export const findPendingMigrations = ({
  committed,
  applied,
}: {
  committed: string[]
  applied: string[]
}): string[] => committed.filter((name) => !applied.includes(name))
