import type { PostgresAdapterArgs } from '@payloadcms/db-postgres'
import type { Payload } from 'payload'
import type { Client } from 'pg'

/** What this repository uses of a pg pool, including one private field (see `endPool`). */
export type PostgresPool = {
  end: () => Promise<void>
  ended?: boolean
  query: (text: string) => Promise<unknown>
  on: (event: 'error', listener: (error: Error) => void) => unknown
  /** pg-pool's private list of the pool's clients, idle and checked out. */
  _clients?: { end: () => Promise<void> }[]
  totalCount: number
  idleCount: number
  waitingCount: number
}

type PooledAdapter = {
  pool?: PostgresPool
  /** With read replicas: drizzle's replica set, one pool (`$client`) per replica. */
  drizzle?: { $replicas?: { $client?: PostgresPool }[] }
}

/**
 * The pools of an instance on the Postgres adapter: the primary's first, then each read replica's.
 * Internals: the adapter's `pool`, and `drizzle.$replicas[].$client` (Drizzle's `withReplicas`).
 */
export const getPayloadPools = (payload: Payload): PostgresPool[] => {
  const { pool, drizzle } = payload.db as unknown as PooledAdapter
  const replicaPools = (drizzle?.$replicas ?? []).map((replica) => replica.$client)
  return [pool, ...replicaPools].filter(
    (candidate): candidate is PostgresPool => candidate !== undefined,
  )
}

/**
 * Ends a pool and every client it holds. The adapter checks one client out of each pool when it
 * connects and never releases it, so `end()` alone would wait for it forever; pg-pool lists its
 * clients only in the private `_clients`.
 */
export const endPool = async (pool: PostgresPool): Promise<void> => {
  const ended = pool.end()
  await Promise.allSettled((pool._clients ?? []).map((client) => client.end()))
  await ended
}

/**
 * A pg client class as the Postgres adapter's `pool.Client` option. @types/pg types that option
 * with its `ClientBase`, which its own `Client` does not match (their `on` events differ); pg-pool
 * constructs any client class.
 */
export const toPoolClientOption = (
  clientClass: typeof Client,
): NonNullable<PostgresAdapterArgs['pool']['Client']> =>
  clientClass as unknown as NonNullable<PostgresAdapterArgs['pool']['Client']>
