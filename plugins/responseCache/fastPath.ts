import type { Payload } from 'payload'

import { getCacheRegistry } from './utilities/registry'
import { toCachedResponse, type CachedResponse } from './utilities/responseCache'

type FastPathArgs = {
  payload: Payload
  /** The path under the API route, e.g. `/feed` for `GET /api/feed`. */
  path: string
  acceptEncoding?: string
  ifNoneMatch?: string
}

/**
 * For a custom Node server in front of Next.js: the response for a cached endpoint on every path
 * the cache has — a fresh hit, a stale version while another reader rebuilds, or the result of
 * the rebuild this request starts — with br or gzip as negotiated. Undefined when `path` is not a
 * cached endpoint of this instance (yet). Rejects when the build fails: the caller then lets
 * Payload's route answer, so the error is handled and reported as every other API error is.
 */
export const serveCachedEndpoint = async ({
  payload,
  path,
  acceptEncoding,
  ifNoneMatch,
}: FastPathArgs): Promise<CachedResponse | undefined> => {
  const registered = getCacheRegistry(payload).caches.get(path)
  if (!registered) return undefined
  const fresh = registered.cache.peekFresh()
  const entry = fresh ?? (await registered.cache.get())
  const response = toCachedResponse(
    entry,
    { acceptEncoding, ifNoneMatch, mayEncode: true },
    registered.cacheControl,
  )
  // A stale version served while another reader rebuilds counts as a miss too: it was not fresh.
  response.headers['X-Cache'] = fresh ? 'HIT' : 'MISS'
  Object.assign(response.headers, registered.surrogateKeyHeaders)
  return response
}

/**
 * The cached document itself, parsed, for server-rendered pages built from the same data. Builds
 * it when needed; undefined when the path is not a cached endpoint of this instance.
 */
export const getCachedDocument = async <T>({
  payload,
  path,
}: {
  payload: Payload
  path: string
}): Promise<T | undefined> => {
  const registered = getCacheRegistry(payload).caches.get(path)
  if (!registered) return undefined
  const entry = await registered.cache.get()
  return JSON.parse(entry.json.toString('utf8')) as T
}

/**
 * Stops the instance's LISTEN connection and its reconnect timer. Payload 3 has no hook for the
 * end of an instance, so whoever destroys one calls this first (the connection is unref'd, so a
 * script that forgets still exits). Safe to call for an instance without the plugin.
 */
export const stopResponseCache = async (payload: Payload): Promise<void> => {
  const registry = getCacheRegistry(payload)
  const stop = registry.stop
  registry.stop = undefined
  await stop?.()
}

/**
 * Resolves once every change this instance has announced so far has come back through LISTEN —
 * and so has reached every replica's listener too — or after `timeoutMs` (an announcement of a
 * transaction that rolled back never comes). Without a listener there is nothing to wait for.
 * For read-your-writes across replicas, and for tests.
 */
export const waitForChangesDelivered = async (
  payload: Payload,
  { timeoutMs = 2000 }: { timeoutMs?: number } = {},
): Promise<boolean> => {
  const registry = getCacheRegistry(payload)
  const target = registry.sequence
  const deadline = Date.now() + timeoutMs
  while (registry.hasListener && registry.deliveredSequence < target) {
    if (Date.now() >= deadline) return false
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
  return true
}
