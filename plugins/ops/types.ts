import type {
  Access,
  CollectionSlug,
  FieldAccess,
  GlobalSlug,
  Payload,
  PayloadRequest,
} from 'payload'

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

export type AuditOptions = {
  /**
   * Turn the audit log off. The `audit-logs` collection stays in the schema so migrations do not drift.
   * @default false
   */
  disabled?: boolean
  /**
   * Slug of the audit collection.
   * @default 'audit-logs'
   */
  slug?: string
  /**
   * Collections whose mutations are recorded.
   * @default every collection except the audit log itself
   */
  collections?: CollectionSlug[]
  /**
   * Globals whose updates are recorded.
   * @default every global
   */
  globals?: GlobalSlug[]
  /**
   * Extra field names whose values never reach an audit row (matched at any depth). Passwords,
   * hashes, salts, tokens, API keys and TOTP secrets are always redacted.
   * @default []
   */
  redactFields?: string[]
  /**
   * Rows older than this are deleted by a background job that runs on one replica at a time.
   * @default 365
   */
  retentionDays?: number
  /**
   * Also record reads (`find`, `findByID`) of these collections, for sensitive data.
   * @default []
   */
  recordReadsOf?: CollectionSlug[]
  /**
   * Who may read the audit log (in the admin and the APIs). Nobody can create, change or delete rows.
   * @default any logged-in user
   */
  readAccess?: Access
  /** Field-level read access for the actor and network fields (email, IP, user agent). */
  personalDataAccess?: FieldAccess
  /**
   * The client's IP address for a request. Only your deployment knows which proxy headers to
   * trust, so pass this in production.
   * @default the `X-Real-IP` header, else the first `X-Forwarded-For` address
   */
  getClientIp?: (req: PayloadRequest) => string | undefined
  /** Called after each audit row is written, e.g. to count them in metrics. */
  onWrite?: (action: string) => void
}

export type CacheOptions = {
  /**
   * Turn the cache and its invalidation off: endpoints then build on every request.
   * @default false
   */
  disabled?: boolean
  /** Cached JSON endpoints. */
  endpoints: CachedEndpointOptions[]
  /**
   * Collections whose changes invalidate the cached endpoints.
   * @default every collection except the audit log
   */
  collections?: CollectionSlug[]
  /**
   * Globals whose changes invalidate the cached endpoints.
   * @default every global
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
   * PostgreSQL channel for LISTEN/NOTIFY between replicas.
   * @default 'payload_ops_invalidate'
   */
  channel?: string
  /**
   * Called on every replica after a change commits, with the slug that changed (no tags: a change
   * nobody could attribute, so anything may have changed): pass Next's
   * `revalidateTag`/`revalidatePath` here to refresh pages built from the same data.
   */
  revalidate?: (args: { tags: string[] }) => Promise<void> | void
  /** Cache hits, misses, rebuild times and invalidations, e.g. for metrics. */
  onEvent?: (event: CacheEvent) => void
}

export type OpsPluginOptions = {
  /**
   * Turn the whole plugin off (its collection stays in the schema).
   * @default false
   */
  disabled?: boolean
  audit?: AuditOptions
  cache?: CacheOptions
}
