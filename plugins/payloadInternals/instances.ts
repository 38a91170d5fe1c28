import type { Payload } from 'payload'

type PayloadCacheEntry = { payload: Payload | null }

const getPayloadCache = () => (globalThis as { _payload?: Map<string, PayloadCacheEntry> })._payload

/**
 * The Payload instances this process created, by key (`getPayload`'s `key`, `'default'` unless
 * given). Internal: `getPayload` keeps them in the process-wide `global._payload` map, which is how
 * a custom server reaches the instance Next.js initialised.
 */
export const getCachedPayloadInstances = (): Map<string, Payload> => {
  const instances = new Map<string, Payload>()
  for (const [key, entry] of getPayloadCache() ?? []) {
    if (entry.payload) instances.set(key, entry.payload)
  }
  return instances
}

/** The instance `getPayload` keeps under `key`, without copying the map: for per-request paths. */
export const getCachedPayloadInstance = (key = 'default'): Payload | undefined =>
  getPayloadCache()?.get(key)?.payload ?? undefined
