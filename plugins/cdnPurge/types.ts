import type { Payload, UploadCollectionSlug } from 'payload'

/** Cloudflare's purge API for one zone: purge by tag (`Cache-Tag`) and by URL. */
export type CloudflareTargetOptions = {
  /**
   * Where the API is. Tests point it at a local server.
   * @default 'https://api.cloudflare.com/client/v4'
   */
  apiBase?: string
  /** The zone (Overview page of the domain in the dashboard: 32 hexadecimal characters). */
  zoneId: string
  /**
   * An API token with the Zone → Cache Purge permission on this zone and nothing else. Sent only
   * as `Authorization: Bearer …` to `apiBase`: never logged, never in an event or an error.
   */
  apiToken: string
  /**
   * Purge calls per second this process may make. Cloudflare's limits are per account and by
   * plan (Free: 5 a minute; Pro 5, Business 10, Enterprise 50 a second): divide among the
   * replicas.
   * @default 5 / 60 (the Free plan)
   */
  maxRequestsPerSecond?: number
  /**
   * Calls that may go at once after a quiet spell (the plan's bucket size).
   * @default 25
   */
  burst?: number
}

/**
 * Where to purge. Every target gets every purge; none configured, nothing is sent.
 */
export type PurgeTargets = {
  cloudflare?: CloudflareTargetOptions
  /**
   * HTTP caches you run (Varnish with vmod xkey, nginx with a purge module), as base URLs such as
   * `http://varnish-1:6081`: each purge is `PURGE /` with the keys in an `xkey-purge` header,
   * and a deleted file is `PURGE <path>` with its URL's `Host`.
   * @default []
   */
  httpCaches?: string[]
}

export type PurgeTargetName = 'cloudflare' | 'http'

/** How one purge call went: `success`, or why not. */
export type PurgeOutcome =
  'success' | 'rate_limited' | 'server_error' | 'client_error' | 'network_error'

export type CdnPurgeEvent =
  /** One call to a target. */
  | { type: 'request'; target: PurgeTargetName; outcome: PurgeOutcome }
  /** A batch purged: how many keys and file URLs, and how long since its first request. */
  | { type: 'purged'; target: PurgeTargetName; keys: number; files: number; seconds: number }
  /**
   * A batch failed every attempt: it is tried again later with coarser keys (`fallback`), or no
   * more (`abandoned`: the edge may serve stale answers until their `s-maxage`).
   */
  | { type: 'failure'; target: PurgeTargetName; stage: 'fallback' | 'abandoned' }

/** What to purge: keys (and their coarser cover, for when they cannot be sent) and file URLs. */
export type PurgeRequest = {
  keys: readonly string[]
  /** Fewer keys covering at least the answers of `keys` (e.g. `c:<collection>`). */
  coarseKeys: readonly string[]
  /** Absolute URLs of files that no longer exist. */
  files?: readonly string[]
}

/** Upload collections whose deleted (or replaced) files are purged by URL. */
export type FilePurgeOptions = {
  collections: UploadCollectionSlug[]
  /**
   * Only URLs starting with one of these are purged: the origins a CDN or cache in front serves
   * (the bucket's public base, the app's own URL).
   */
  urlPrefixes: string[]
}

export type RetryOptions = {
  /**
   * Attempts per call, the first included: a 429 (after its `Retry-After`), a 5xx or a network
   * error is retried with exponential backoff; other 4xx are not.
   * @default 4
   */
  attempts?: number
  /** @default 500 */
  baseDelayMs?: number
  /**
   * The longest wait between two attempts, `Retry-After` included.
   * @default 30000
   */
  maxDelayMs?: number
  /**
   * Rounds of coarser purges, each `fallbackDelayMs` × round later, after a batch failed every
   * attempt; then it is given up (logged and counted).
   * @default 5
   */
  fallbackRounds?: number
  /** @default 30000 */
  fallbackDelayMs?: number
}

/** How purges are batched, sent and reported, whatever the targets. */
export type PurgerSettings = {
  /**
   * How long the first request of a burst waits for others to join its batch.
   * @default 100
   */
  batchWindowMs?: number
  /**
   * A batch whose keys need more calls than this to one target goes by its coarse keys instead.
   * @default 3
   */
  maxCallsPerBatch?: number
  retry?: RetryOptions
  /** @default 10000 */
  requestTimeoutMs?: number
  /** Calls, purges and failures, e.g. for metrics. */
  onEvent?: (event: CdnPurgeEvent) => void
}

/** Options of `cdnPurgePlugin`. */
export type CdnPurgePluginOptions = PurgerSettings & {
  /**
   * Purge nothing and add no hooks.
   * @default false
   */
  disabled?: boolean
  /** @default {} (nothing to purge: the plugin only notes deleted files) */
  targets?: PurgeTargets
  /** @default undefined (no file URLs are purged) */
  files?: FilePurgeOptions
}

/** The purge request the response cache hands over (its `purgeEdge` option), by shape. */
export type EdgePurge = {
  payload: Payload
  /** The change that was committed, when it names a document: its deleted files go too. */
  change?: { collection?: string; id?: number | string }
  keys: readonly string[]
  coarseKeys: readonly string[]
}
