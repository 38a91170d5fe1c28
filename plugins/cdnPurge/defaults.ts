export const defaultCloudflareApiBase = 'https://api.cloudflare.com/client/v4'
/**
 * Cloudflare's Free plan: 5 purge calls a minute, 25 at once after a quiet spell. Paid plans allow
 * more (Pro and Business 5 and 10 a second, Enterprise 50): raise it there.
 */
export const defaultCloudflareRequestsPerSecond = 5 / 60
export const defaultCloudflareBurst = 25
/** Cloudflare takes at most 100 tags, or 100 URLs, per purge call. */
export const cloudflareMaxItemsPerCall = 100
/**
 * How long the first purge request of a burst waits for others to join it. Long enough for the
 * other replicas' listeners, which heard the change at the same moment, to drop their copies
 * before the edge comes back for a fresh one; short next to the second the edge may take.
 */
export const defaultBatchWindowMs = 100
/** A batch whose precise keys need more calls than this is purged by its coarse keys. */
export const defaultMaxCallsPerBatch = 3
/** `xkey-purge` stays well within Varnish's 8 KB request header line (`http_req_hdr_len`). */
export const httpCacheMaxKeyBytes = 4000
export const defaultRetryAttempts = 4
export const defaultRetryBaseDelayMs = 500
/** The longest wait between two attempts, `Retry-After` included. */
export const defaultRetryMaxDelayMs = 30_000
/** After a batch failed every attempt: rounds of coarser purges, each a while later, before giving up. */
export const defaultFallbackRounds = 5
export const defaultFallbackDelayMs = 30_000
export const defaultRequestTimeoutMs = 10_000
/**
 * File URLs noted by a delete whose change was never announced back (a rollback, a bulk job that
 * announces nothing) are purged anyway after this long: a purge of a file that still exists
 * costs one cache miss.
 */
export const unclaimedFilesMs = 60_000
