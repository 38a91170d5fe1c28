import type { Payload } from 'payload'

import { endPool, getCachedPayloadInstances, getPayloadPools } from '../../plugins/payloadInternals'
import { stopCdnPurge } from '../../plugins/cdnPurge'
import { stopResponseCache } from '../../plugins/responseCache'

/** Connection counts of the pool of the Payload instance this process serves with, if any. */
export const getPayloadPoolStats = () => {
  const payload = getCachedPayloadInstances().get('default')
  const [pool] = payload ? getPayloadPools(payload) : []
  if (!pool) return undefined
  return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }
}

/** How long to wait for checked-out connections to come back before giving up on them. */
const poolDrainTimeoutMs = 2_000
/**
 * How long queued CDN purges may take to go out. The server's whole shutdown budget for closing
 * resources is 5 s (gracefulShutdown.ts): purges must leave room for the pools after them.
 */
const purgeFlushTimeoutMs = 2_000

/**
 * Destroys a Payload instance and ends its Postgres pools, read replicas' included:
 * `payload.destroy()` alone leaves the pools' sockets open, which keeps scripts alive and spews
 * errors when the database stops.
 */
export const closePayload = async (payload: Payload): Promise<void> => {
  const pools = getPayloadPools(payload)
  // Payload 3 has no hook for the end of an instance: the cache's LISTEN connection is ours to stop.
  await stopResponseCache(payload)
  // Then what the last changes asked to purge goes out: the edge would keep it for a day.
  await stopCdnPurge(payload, { timeoutMs: purgeFlushTimeoutMs })
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

/**
 * Closes every Payload instance this process created, the one Next.js initialised included (see
 * getCachedPayloadInstances).
 */
export const closePayloadInstances = async (): Promise<void> => {
  await Promise.allSettled([...getCachedPayloadInstances().values()].map(closePayload))
}
