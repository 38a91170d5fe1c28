import { getCacheRegistry } from './utilities/cacheRegistry'
import { toCachedResponse, type CachedResponse } from './utilities/responseCache'

/**
 * For a custom Node server in front of Next.js: the response for a cached endpoint when a fresh
 * version is in memory, else undefined (let the request through to Payload, which builds it).
 * `path` is the endpoint path as configured (e.g. `/catalog`).
 */
export const getFreshCachedResponse = (
  path: string,
  request: { acceptEncoding?: string; ifNoneMatch?: string },
): CachedResponse | undefined => {
  const registered = getCacheRegistry().get(path)
  const entry = registered?.cache.peekFresh()
  return entry && registered ? toCachedResponse(entry, request, registered.cacheControl) : undefined
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
