import type { Payload } from 'payload'

import { getPostgresAdapter } from './adapter'
import type { SqlExecutor } from './transactions'

/**
 * The adapter's own Drizzle instance, which runs each statement on the pool outside any request's
 * transaction: a write through it commits at once, whatever the request later rolls back.
 * Internal: the Postgres adapter's `drizzle` property.
 */
export const getExecutorOutsideTransaction = (payload: Payload): SqlExecutor =>
  getPostgresAdapter(payload).drizzle as unknown as SqlExecutor
