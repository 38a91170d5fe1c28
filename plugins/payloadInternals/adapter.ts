import type { PostgresAdapter } from '@payloadcms/db-postgres'
import type { Payload } from 'payload'

/**
 * The Postgres adapter of a Payload instance, typed. Payload types `payload.db` as the generic
 * `DatabaseAdapter`; this app only ever runs on `@payloadcms/db-postgres`.
 */
export const getPostgresAdapter = (payload: Payload): PostgresAdapter =>
  payload.db as unknown as PostgresAdapter
