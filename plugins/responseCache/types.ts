import type { CollectionSlug, GlobalSlug, Payload } from 'payload'

import type { ReadEvent } from './readCache/state'
import type { SurrogateKeyLimits } from './utilities/surrogateKeys'
import type { CacheEvent } from './utilities/responseCache'

/**
 * One change a cache was told about: a document of a collection (`id` when the change names one)
 * or a global. A change without an `id` names no document, so incremental builds treat it as
 * "anything in this collection may have changed".
 */
export type CacheChange =
  | {
      collection: string
      id?: number | string
      /**
       * The top-level fields whose values changed (an update). Absent when the change may touch
       * any field: a create, a delete, or an update nobody compared.
       */
      fields?: readonly string[]
      global?: never
    }
  | { global: string; collection?: never; id?: never; fields?: never }

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

/**
 * The cache of anonymous reads: REST lists, counts, documents and globals, and GraphQL queries,
 * served by a custom Node server in front of Next.js through `serveCacheableRead`.
 */
export type ReadCacheOptions = {
  /**
   * Turn the read cache off (the cached endpoints stay).
   * @default false
   */
  disabled?: boolean
  /**
   * Memory for cached answers, in bytes: bodies with their br and gzip encodings and bookkeeping.
   * The least recently used answers go first.
   * @default 67108864 (64 MiB)
   */
  maxBytes?: number
  /**
   * The largest single answer kept, in bytes (same measure); larger ones are always answered by
   * Payload.
   * @default maxBytes / 16
   */
  maxEntryBytes?: number
  /**
   * `Cache-Control` of cached answers.
   * @default 'public, max-age=0, s-maxage=60, stale-while-revalidate=300'
   */
  cacheControl?: string
  /**
   * Collections (of those the plugin watches) whose answers are never cached: those whose read
   * access depends on the time or on anything but the request. Auth collections never are.
   * @default []
   */
  excludeCollections?: CollectionSlug[]
  /**
   * More API paths whose anonymous GETs are cached like document reads, as patterns below the
   * API route (`/catalog/:slug`). Their endpoints must read through the Local API with the
   * request's `req` and `overrideAccess: false`, so the cache sees what they read.
   * @default []
   */
  paths?: string[]
  /**
   * GraphQL POST bodies up to this many bytes are read to key the query; larger ones bypass.
   * @default 65536
   */
  maxQueryBodyBytes?: number
  /** Hits, misses, bypasses, fills and evictions, e.g. for metrics. */
  onEvent?: (event: ReadEvent) => void
}

/**
 * What the shared caches in front of the app (a CDN, Varnish) must drop. Asked for on one replica
 * only: the one that made the change, once its own announcement has come back through LISTEN
 * (so after commit, and after the other replicas' listeners had it too); or a replica that may
 * have missed changes (its listener reconnected, or another replica's announcement went missing),
 * which may have answered the edge from entries that were stale by then.
 */
export type EdgePurgeRequest = {
  payload: Payload
  /** `change`: this replica's own change, committed; the others: it may have missed changes. */
  reason: 'change' | 'reconnect' | 'gap'
  /** The committed change, when `reason` is `change`. */
  change?: CacheChange
  /** The surrogate keys of every answer that may differ now (see `utilities/surrogateKeys.ts`). */
  keys: string[]
  /**
   * Fewer, broader keys (`c:<collection>`, `g:<global>`) covering at least the same answers, for
   * a purger that cannot send `keys` (too many, or failing).
   */
  coarseKeys: string[]
}

/** Surrogate keys on the answers the caches serve, for a CDN or Varnish to purge by. */
export type SurrogateKeyOptions = {
  /**
   * Send no `Surrogate-Key` and `Cache-Tag` headers (nothing in front purges by them).
   * @default false
   */
  disabled?: boolean
  /**
   * The longest value of each header, in bytes. An answer whose keys do not fit gets coarser
   * keys (a collection's instead of its documents'), never fewer. Varnish refuses backend header
   * lines over 8 KB, nginx buffers all of an answer's headers in `proxy_buffer_size`, Cloudflare
   * takes 16 KB of `Cache-Tag`.
   * @default 4000
   */
  maxHeaderBytes?: number
}

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
  /**
   * The cache of anonymous REST and GraphQL reads.
   * @default {} (on, with the defaults above)
   */
  reads?: ReadCacheOptions
  /**
   * `Surrogate-Key` and `Cache-Tag` headers on every answer the caches serve: the cached
   * endpoints (keys of every watched collection and global) and the cached reads (keys of what
   * they contain and list).
   * @default {} (on, at most 4000 bytes per header)
   */
  surrogateKeys?: SurrogateKeyOptions
  /**
   * Called when the shared caches in front of the app should drop answers: once per change across
   * replicas, after commit (see `EdgePurgeRequest`). Hand it to a CDN purger; keep it cheap
   * (queue, do not await).
   * @default undefined (nothing in front is purged)
   */
  purgeEdge?: (request: EdgePurgeRequest) => void
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
  /** Undefined when no surrogate keys are sent. */
  surrogateKeys?: SurrogateKeyLimits
  purgeEdge?: ResponseCachePluginOptions['purgeEdge']
  reads: {
    isEnabled: boolean
    maxBytes: number
    maxEntryBytes: number
    cacheControl: string
    excludedCollections: ReadonlySet<string>
    paths: readonly string[]
    maxQueryBodyBytes: number
    onEvent: (event: ReadEvent) => void
  }
}
