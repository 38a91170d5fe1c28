import type { PostgresAdapterArgs } from '@payloadcms/db-postgres'
import type { Migration, Payload } from 'payload'

import { getPostgresAdapter } from './adapter'

/** One migration as `migrations/index.ts` lists them, typed for the Postgres adapter. */
export type PostgresMigration = NonNullable<PostgresAdapterArgs['prodMigrations']>[number]

/**
 * Applies those of `migrations` that the database has not applied yet, as `payload migrate` does.
 * Payload types `db.migrate`'s list with its generic `Migration`, whose `up` takes `unknown`; the
 * Postgres adapter calls each with its own arguments, which the committed migrations expect.
 */
export const applyMigrations = ({
  payload,
  migrations,
}: {
  payload: Payload
  migrations: readonly PostgresMigration[]
}): Promise<void> => payload.db.migrate({ migrations: migrations as unknown as Migration[] })

/**
 * The table of a collection, or undefined when the adapter has none by that name.
 * Internal: the Drizzle adapter's `tableNameMap`, keyed by the slug with dashes as underscores.
 */
export const getCollectionTableName = ({
  payload,
  slug,
}: {
  payload: Payload
  slug: string
}): string | undefined => getPostgresAdapter(payload).tableNameMap.get(slug.replace(/-/g, '_'))
