import type { CollectionSlug, GlobalSlug, Payload } from 'payload'

import type { CacheEvent } from './utilities/responseCache'

/**
 * One change a cache was told about: a document of a collection (`id` when the change names one)
 * or a global. A change without an `id` names no document, so incremental builds treat it as
 * "anything in this collection may have changed".
 */
export type CacheChange =
  | { collection: string; id?: number | string; global?: never }
  | { global: string; collection?: never; id?: never }

/**
 * Builds a document as serialised JSON fragments; their concatenation is the document's bytes.
 * Return the very same `Buffer` objects for fragments that did not change: the cache hashes each
 * fragment object once, so reused fragments cost nothing towards the ETag.
 */
export type IncrementalBuild = (args: {
  payload: Payload
  /**
   * The changes that arrived since the previous build of this function *started* (one arriving
   * during a build is handed to the next build only), or `undefined`: build everything from
   * scratch. The cache passes
   * `undefined` for the first build, after a failed build, once the last full build is older than
   * `ttlSeconds`, after the listener reconnected, and whenever a change could not be attributed.
   */
  changes?: readonly CacheChange[]
}) => Promise<Buffer[]>

type CachedEndpointBase = {
  /** Path under the API route, e.g. `/catalog` → `GET /api/catalog`. */
  path: string
  /**
   * `Cache-Control` sent with the document.
   * @default 'public, max-age=0, s-maxage=60, stale-while-revalidate=300'
   */
  cacheControl?: string
}

/**
 * A JSON document served from the in-memory cache, rebuilt when what it is made of changes.
 * Give either `build` (the whole document, serialised by the cache) or `createIncrementalBuild`.
 */
export type CachedEndpointOptions = CachedEndpointBase &
  (
    | {
        /**
         * Builds the document. Read with `overrideAccess: false` and no user (or filter
         * yourself): whatever this returns is public.
         */
        build: (args: { payload: Payload }) => Promise<unknown>
        createIncrementalBuild?: never
      }
    | {
        /**
         * Called once per cache: returns a build that may keep what it built last (in its
         * closure) and patch it with the changes it is given. Same visibility rule as `build`.
         * Builds of one cache never overlap.
         */
        createIncrementalBuild: () => IncrementalBuild
        build?: never
      }
  )

/** Options of `responseCachePlugin`. */
export type ResponseCachePluginOptions = {
  /**
   * Turn the cache and its invalidation off: the endpoints stay and build on every request.
   * @default false
   */
  disabled?: boolean
  /**
   * Cached JSON endpoints, each served as `GET /api<path>`.
   * @default []
   */
  endpoints?: CachedEndpointOptions[]
  /**
   * Collections whose changes invalidate the cached endpoints.
   * @default every collection in the config when the plugin runs
   */
  collections?: CollectionSlug[]
  /**
   * Globals whose changes invalidate the cached endpoints.
   * @default every global in the config when the plugin runs
   */
  globals?: GlobalSlug[]
  /**
   * Longest time a cached document is served without a rebuild, even if no invalidation arrives;
   * for incremental endpoints, the longest time between two full builds.
   * @default 60
   */
  ttlSeconds?: number
  /**
   * After expiry or invalidation, how long the previous document may still be served while one
   * request rebuilds it (stale-while-revalidate).
   * @default 10
   */
  staleGraceSeconds?: number
  /**
   * PostgreSQL channel for LISTEN/NOTIFY between replicas. Every replica of one app must use the
   * same channel; two apps on one database should use different ones.
   * @default 'payload_ops_invalidate'
   */
  channel?: string
  /**
   * Called on every replica after a change commits, with the slug that changed (no tags: a change
   * nobody could attribute, so anything may have changed): pass Next's
   * `revalidateTag`/`revalidatePath` here to refresh pages built from the same data.
   * @default undefined (nothing outside the plugin's own caches is refreshed)
   */
  revalidate?: (args: { tags: string[] }) => Promise<void> | void
  /**
   * Cache hits, misses, rebuild times and invalidations, e.g. for metrics.
   * @default undefined
   */
  onEvent?: (event: CacheEvent) => void
}

/** The options with every default applied, computed once by the factory. */
export type SanitizedResponseCacheOptions = {
  isDisabled: boolean
  endpoints: CachedEndpointOptions[]
  watchedCollections: ReadonlySet<string>
  watchedGlobals: ReadonlySet<string>
  ttlMs: number
  graceMs: number
  channel: string
  revalidate?: ResponseCachePluginOptions['revalidate']
  onEvent?: ResponseCachePluginOptions['onEvent']
}
