import type { Endpoint, Payload } from 'payload'

import type { CacheChange, CachedEndpointOptions } from '../types'
import { getCacheRegistry } from '../utilities/registry'
import { toBuiltEntry, toCachedResponse, type BuildResult } from '../utilities/responseCache'

/**
 * How a cache builds an endpoint's document. An incremental build is created here once, so the
 * state it keeps between builds belongs to the one cache that calls it.
 */
export const getEndpointBuild = (
  endpoint: CachedEndpointOptions,
  payload: Payload,
): ((changes?: readonly CacheChange[]) => Promise<BuildResult>) => {
  if (endpoint.createIncrementalBuild) {
    const build = endpoint.createIncrementalBuild()
    return async (changes) => ({ fragments: await build({ payload, changes }) })
  }
  const { build } = endpoint
  return async () => ({ document: await build({ payload }) })
}

type CachedEndpointArgs = { endpoint: CachedEndpointOptions; cacheControl: string }

/** `GET /api<path>`: the cached document with its ETag and 304s, unencoded. */
export const getCachedEndpoint = ({ endpoint, cacheControl }: CachedEndpointArgs): Endpoint => ({
  path: endpoint.path,
  method: 'get',
  handler: async (req) => {
    const registered = getCacheRegistry(req.payload).caches.get(endpoint.path)
    // Without a cache (disabled): build from scratch on every request.
    const entry = registered
      ? await registered.cache.get()
      : toBuiltEntry(await getEndpointBuild(endpoint, req.payload)(), Date.now())
    // Identity only: Next.js compresses route handler answers itself (see toCachedResponse). A
    // custom server in front of Next serves the encoded versions (see serveCachedEndpoint).
    const response = toCachedResponse(
      entry,
      { ifNoneMatch: req.headers.get('if-none-match') ?? undefined, mayEncode: false },
      cacheControl,
    )
    return new Response(response.body ? new Uint8Array(response.body) : null, {
      status: response.status,
      headers: { ...response.headers, ...registered?.surrogateKeyHeaders },
    })
  },
})
