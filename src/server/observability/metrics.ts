import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

import { getProcessSingleton } from '../../lib/processSingleton'

/**
 * Results of `npm run backup` and `npm run drill`, read from the database by a background job
 * (src/jobs/backup/jobRunsReporter.ts), so every replica reports the same values. 0 until a run is
 * recorded: an age alert on a timestamp then fires, as it should when no backup exists.
 */
const createOpsJobGauges = (registry: Registry) => {
  const gauge = (name: string, help: string) => new Gauge({ name, help, registers: [registry] })
  return {
    backupLastSuccessTimestamp: gauge(
      'backup_last_success_timestamp_seconds',
      'Unix time when the last successful backup finished.',
    ),
    backupLastFailureTimestamp: gauge(
      'backup_last_failure_timestamp_seconds',
      'Unix time when the last failed backup finished.',
    ),
    backupLastSizeBytes: gauge(
      'backup_last_size_bytes',
      'Size of the dump written by the last successful backup.',
    ),
    backupLastDuration: gauge(
      'backup_last_duration_seconds',
      'How long the last successful backup took.',
    ),
    drillLastSuccessTimestamp: gauge(
      'drill_last_success_timestamp_seconds',
      'Unix time when the last successful restore drill finished.',
    ),
    drillLastFailureTimestamp: gauge(
      'drill_last_failure_timestamp_seconds',
      'Unix time when the last failed restore drill finished.',
    ),
    drillLastDuration: gauge(
      'drill_last_duration_seconds',
      'How long the last successful restore drill took, end to end.',
    ),
    drillLastRecoverySeconds: gauge(
      'drill_last_recovery_seconds',
      'Recovery time measured by the last successful drill (RTO): restore, migrations and boot.',
    ),
    drillLastBackupAge: gauge(
      'drill_last_backup_age_seconds',
      'Age of the backup the last successful drill restored (RPO) when it ran.',
    ),
  }
}

/** The response cache's metrics: reads by outcome, evictions by reason, fill time and size. */
const createResponseCacheMetrics = (registry: Registry) => ({
  responseCacheReads: new Counter({
    name: 'response_cache_reads_total',
    help: 'Reads on cacheable API routes, by X-Cache outcome (HIT, MISS, BYPASS).',
    labelNames: ['outcome'] as const,
    registers: [registry],
  }),
  responseCacheEvictions: new Counter({
    name: 'response_cache_evictions_total',
    help: 'Cached API answers dropped, by reason (change, capacity, clear).',
    labelNames: ['reason'] as const,
    registers: [registry],
  }),
  responseCacheFillSeconds: new Histogram({
    name: 'response_cache_fill_seconds',
    help: 'Time Payload took to produce an answer the cache was missing.',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  }),
  responseCacheEntries: new Gauge({
    name: 'response_cache_entries',
    help: 'API answers in the response cache.',
    registers: [registry],
  }),
  responseCacheBytes: new Gauge({
    name: 'response_cache_bytes',
    help: 'Memory the response cache accounts for (bodies, encodings, bookkeeping).',
    registers: [registry],
  }),
})

/** Purges of the CDN or HTTP caches in front: calls by outcome, keys purged, delay, failures. */
const createCdnPurgeMetrics = (registry: Registry) => ({
  cdnPurgeRequests: new Counter({
    name: 'cdn_purge_requests_total',
    help: 'Purge calls to a CDN or HTTP cache, by target (cloudflare, http) and outcome.',
    labelNames: ['target', 'outcome'] as const,
    registers: [registry],
  }),
  cdnPurgeKeys: new Counter({
    name: 'cdn_purge_keys_total',
    help: 'Surrogate keys and file URLs purged, by target.',
    labelNames: ['target'] as const,
    registers: [registry],
  }),
  cdnPurgeDelaySeconds: new Histogram({
    name: 'cdn_purge_delay_seconds',
    help: 'From a committed change to its purge succeeding, by target.',
    labelNames: ['target'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60],
    registers: [registry],
  }),
  cdnPurgeFailures: new Counter({
    name: 'cdn_purge_failures_total',
    help: 'Purge batches that failed every attempt, by target and stage (fallback: retried with coarser keys; abandoned).',
    labelNames: ['target', 'stage'] as const,
    registers: [registry],
  }),
})

/**
 * Every Prometheus metric the app exposes, in one registry. Documented in docs/monitoring/README.md;
 * names and labels are an interface for dashboards and alerts, so change them deliberately.
 */
export const createAppMetrics = () => {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry })
  const httpLabels = ['method', 'route', 'status_class'] as const
  return {
    registry,
    httpRequestDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time from request start to the last byte of the response, by route pattern.',
      labelNames: httpLabels,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    httpRequests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests answered, by route pattern and status class (2xx, 4xx, 5xx…).',
      labelNames: httpLabels,
      registers: [registry],
    }),
    dbPoolConnections: new Gauge({
      name: 'db_pool_connections',
      help: "Connections in this replica's PostgreSQL pool, by state (total, idle, waiting clients).",
      labelNames: ['state'] as const,
      registers: [registry],
    }),
    pgConnections: new Gauge({
      name: 'pg_stat_activity_connections',
      help: 'Server connections to the database from pg_stat_activity, by state.',
      labelNames: ['state'] as const,
      registers: [registry],
    }),
    pgMaxConnections: new Gauge({
      name: 'pg_max_connections',
      help: "The server's max_connections setting.",
      registers: [registry],
    }),
    mediaStorageObjects: new Gauge({
      name: 'media_storage_objects',
      help: 'Media objects in storage (bucket or local disk), from the last background report.',
      registers: [registry],
    }),
    mediaStorageBytes: new Gauge({
      name: 'media_storage_bytes',
      help: 'Bytes of media in storage, from the last background report.',
      registers: [registry],
    }),
    mediaStorageReportTimestamp: new Gauge({
      name: 'media_storage_report_timestamp_seconds',
      help: 'Unix time of the last successful storage report.',
      registers: [registry],
    }),
    catalogCacheHits: new Counter({
      name: 'catalog_cache_hits_total',
      help: 'Catalog reads answered from the in-memory cache.',
      registers: [registry],
    }),
    catalogCacheMisses: new Counter({
      name: 'catalog_cache_misses_total',
      help: 'Catalog reads that had to build the catalog.',
      registers: [registry],
    }),
    catalogCacheRebuildSeconds: new Histogram({
      name: 'catalog_cache_rebuild_seconds',
      help: 'Time to build the catalog document.',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    catalogCacheInvalidations: new Counter({
      name: 'catalog_cache_invalidations_total',
      help: 'Catalog cache invalidations, by origin (local mutation or another replica).',
      labelNames: ['origin'] as const,
      registers: [registry],
    }),
    ...createResponseCacheMetrics(registry),
    ...createCdnPurgeMetrics(registry),
    dbUnavailableResponses: new Counter({
      name: 'db_unavailable_responses_total',
      help: 'API requests answered 503 because the database could not be reached.',
      registers: [registry],
    }),
    rateLimitRejections: new Counter({
      name: 'rate_limit_rejections_total',
      help: 'Requests refused by a rate limiter, by limiter.',
      labelNames: ['limiter'] as const,
      registers: [registry],
    }),
    ...createOpsJobGauges(registry),
    auditRowsWritten: new Counter({
      name: 'audit_rows_written_total',
      help: 'Audit log rows written, by action.',
      labelNames: ['action'] as const,
      registers: [registry],
    }),
  }
}

export type AppMetrics = ReturnType<typeof createAppMetrics>

/** The process's metrics, shared by the server and the Payload code that counts (audit, cache). */
export const getAppMetrics = (): AppMetrics =>
  getProcessSingleton('catalog-cms.metrics', createAppMetrics)

const knownMethods = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'])

/** Bounded label values: unknown methods are one bucket, statuses are classes. */
export const toMetricLabels = (method: string | undefined, route: string, status: number) => ({
  method: method && knownMethods.has(method) ? method : 'OTHER',
  route,
  status_class: `${Math.floor(status / 100)}xx`,
})
