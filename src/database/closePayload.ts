import type { Payload } from 'payload'

type PayloadCacheEntry = { payload: Payload | null }
type Pool = {
  end: () => Promise<void>
  ended?: boolean
  query: (text: string) => Promise<unknown>
  on: (event: 'error', listener: (error: Error) => void) => unknown
  /** pg's list of the pool's clients, idle and checked out. */
  _clients?: { end: () => Promise<void> }[]
  totalCount: number
  idleCount: number
  waitingCount: number
}
type PooledAdapter = {
  pool?: Pool
  /** With DATABASE_REPLICA_URLS: drizzle's replica set, one pool per read replica. */
  drizzle?: { $replicas?: { $client?: Pool }[] }
}

const getPayloadCache = () => (globalThis as { _payload?: Map<string, PayloadCacheEntry> })._payload

/** Connection counts of the pool of the Payload instance this process serves with, if any. */
export const getPayloadPoolStats = () => {
  const payload = getPayloadCache()?.get('default')?.payload
  const pool = (payload?.db as unknown as PooledAdapter | undefined)?.pool
  if (!pool) return undefined
  return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }
}

/** The pools of an instance on the Postgres adapter: the primary's first, then each read replica's. */
export const getPayloadPools = (payload: Payload): Pool[] => {
  const { pool, drizzle } = payload.db as unknown as PooledAdapter
  const replicaPools = (drizzle?.$replicas ?? []).map((replica) => replica.$client)
  return [pool, ...replicaPools].filter((candidate): candidate is Pool => candidate !== undefined)
}

/** How long to wait for checked-out connections to come back before giving up on them. */
const poolDrainTimeoutMs = 2_000

/**
 * Destroys a Payload instance and ends its Postgres pools, read replicas' included:
 * `payload.destroy()` alone leaves the pools' sockets open, which keeps scripts alive and spews
 * errors when the database stops.
 */
export const closePayload = async (payload: Payload): Promise<void> => {
  const pools = getPayloadPools(payload)
  await payload.destroy()
  const openPools = pools.filter((candidate) => !candidate.ended)
  // The timer must keep the process alive: once the pools' sockets are gone it may be the only
  // thing left, and a script awaiting this at top level would otherwise die with exit code 13
  // ("unsettled top-level await") instead of finishing.
  let timer: NodeJS.Timeout | undefined
  await Promise.race([
    Promise.allSettled(openPools.map(endPool)),
    new Promise((resolve) => {
      timer = setTimeout(resolve, poolDrainTimeoutMs)
    }),
  ])
  clearTimeout(timer)
}

const endPool = async (pool: Pool) => {
  const ended = pool.end()
  // The adapter checks one client out of each pool when it connects and never releases it, so
  // `end()` alone would wait for it forever. Nothing uses the pool any more: end its clients.
  await Promise.allSettled((pool._clients ?? []).map((client) => client.end()))
  await ended
}

/**
 * Closes every Payload instance this process created. `getPayload` keeps them in a process-wide
 * cache (`global._payload`), which is how the server reaches the instance Next.js initialised.
 */
export const closePayloadInstances = async (): Promise<void> => {
  const cache = getPayloadCache()
  if (!cache) return
  await Promise.allSettled(
    [...cache.values()].map((entry) => (entry.payload ? closePayload(entry.payload) : undefined)),
  )
}
