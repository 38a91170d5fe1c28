import type { PayloadRequest } from 'payload'

import { getPostgresAdapter } from './adapter'

/** What a Drizzle database or open transaction offers for raw SQL. */
export type SqlExecutor = {
  execute: (query: unknown) => Promise<{ rows: Record<string, unknown>[] }>
}

type OpenSessions = { sessions?: Record<string, { db: SqlExecutor } | undefined> }

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
