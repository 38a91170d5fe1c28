import { getCacheRegistry } from './utilities/cacheRegistry'
import { toCachedResponse, type CachedResponse } from './utilities/responseCache'

type FastPathRequest = { acceptEncoding?: string; ifNoneMatch?: string }

/**
 * For a custom Node server in front of Next.js: the response for a cached endpoint on every path
 * the cache has — a fresh hit, a stale version while another reader rebuilds, or the result of
 * the rebuild this request starts — with br or gzip as negotiated. Undefined when `path` is not a
 * cached endpoint of this process yet (Payload has not started: Next's route serves it, which
 * starts Payload). Rejects when the build fails: the caller then lets Payload's route answer, so
 * the error is handled and reported as every other API error is.
 */
export const serveCachedEndpoint = async (
  path: string,
  request: FastPathRequest,
): Promise<CachedResponse | undefined> => {
  const registered = getCacheRegistry().get(path)
  if (!registered) return undefined
  const entry = await registered.cache.get()
  return toCachedResponse(entry, { ...request, mayEncode: true }, registered.cacheControl)
}

/**
 * The cached document itself, parsed, for server-rendered pages built from the same data. Builds
 * it when needed; undefined when the path is not a cached endpoint (or Payload has not started).
 */
export const getCachedDocument = async <T>(path: string): Promise<T | undefined> => {
  const registered = getCacheRegistry().get(path)
  if (!registered) return undefined
  const entry = await registered.cache.get()
  return JSON.parse(entry.json.toString('utf8')) as T
}
