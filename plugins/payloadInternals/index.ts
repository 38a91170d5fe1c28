import type { PostgresAdapter } from '@payloadcms/db-postgres'
import type { Payload, PayloadRequest } from 'payload'

/**
 * Every reach into Payload's or Drizzle's internals that this repository makes lives in this one
 * package, so an upgrade that moves one of them breaks here, in `tests/plugins/payloadInternals`,
 * and nowhere else. Each export names the internal it depends on.
 */

/** What a Drizzle database or open transaction offers for raw SQL. */
export type SqlExecutor = {
  execute: (query: unknown) => Promise<{ rows: Record<string, unknown>[] }>
}

type OpenSessions = { sessions?: Record<string, { db: SqlExecutor } | undefined> }

/** The Postgres adapter of a Payload instance, typed; Payload types `payload.db` as any adapter. */
export const getPostgresAdapter = (payload: Payload): PostgresAdapter =>
  payload.db as unknown as PostgresAdapter

/**
 * The Drizzle handle of the request's open transaction, or undefined when it has none.
 * Internal: the adapter's `sessions` map, keyed by `req.transactionID`.
 */
export const getTransactionExecutor = async (
  req: Pick<PayloadRequest, 'payload' | 'transactionID'>,
): Promise<SqlExecutor | undefined> => {
  const transactionId = req.transactionID ? await req.transactionID : undefined
  if (transactionId === undefined) return undefined
  return (req.payload.db as unknown as OpenSessions).sessions?.[String(transactionId)]?.db
}

/** The request's transaction when it has one, else the adapter's own Drizzle instance. */
export const getRequestExecutor = async (
  req: Pick<PayloadRequest, 'payload' | 'transactionID'>,
): Promise<SqlExecutor> =>
  (await getTransactionExecutor(req)) ??
  (getPostgresAdapter(req.payload).drizzle as unknown as SqlExecutor)
