export const defaultTtlSeconds = 60
export const defaultStaleGraceSeconds = 10
/**
 * The channel of the plugin's first release (then part of an "ops" plugin): replicas still on
 * that release keep hearing of changes during a rolling deploy.
 */
export const defaultChannel = 'payload_ops_invalidate'
/** More changes than this between two builds make the next one a full build: it is cheaper then. */
export const maxPendingChanges = 1000
export const defaultCacheControl = 'public, max-age=0, s-maxage=60, stale-while-revalidate=300'
/** `application_name` prefix of each replica's LISTEN connection (operators look for it). */
export const listenerApplicationName = 'payload-ops-listener'
export const defaultReadCacheMaxBytes = 64 * 1024 * 1024
/** The default largest answer: a sixteenth of the memory, so one answer never crowds out the rest. */
export const defaultReadCacheEntryShare = 16
export const defaultMaxQueryBodyBytes = 64 * 1024
/**
 * How long a skipped announcement number may take to arrive (two transactions of one replica may
 * commit in the other order) before the listener counts it lost and drops its cached answers.
 */
export const sequenceGapGraceMs = 10_000
