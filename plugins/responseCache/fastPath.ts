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
  const entry = await registered.cache.get()
  return toCachedResponse(
    entry,
    { acceptEncoding, ifNoneMatch, mayEncode: true },
    registered.cacheControl,
  )
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
