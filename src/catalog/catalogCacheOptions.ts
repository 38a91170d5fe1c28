import { purgeFromCdn } from '../../plugins/cdnPurge'
import {
  defaultChannel,
  type ReadEvent,
  type ResponseCachePluginOptions,
} from '../../plugins/responseCache'
import { collectionSlugs, globalSlugs } from '../../collections/slugs'
import { isEdgePurgeConfigured, type PurgeEnv } from '../config/cdnPurgeOptions'
import type { AppEnv } from '../config/env'
import { getAppMetrics, type AppMetrics } from '../server/observability/metrics'
import { catalogCategoriesPath, catalogCategoryPath, catalogPath } from './catalogPath'
import { createIncrementalCatalogBuild } from './incrementalCatalog'

export { catalogPath }

const recordReadEvent = (metrics: AppMetrics, event: ReadEvent) => {
  if (event.type === 'read') metrics.responseCacheReads.inc({ outcome: event.outcome })
  else if (event.type === 'evict')
    metrics.responseCacheEvictions.inc({ reason: event.reason }, event.count)
  else if (event.type === 'fill') metrics.responseCacheFillSeconds.observe(event.seconds)
  else {
    metrics.responseCacheEntries.set(event.entries)
    metrics.responseCacheBytes.set(event.bytes)
  }
}

/** What the response cache watches: a change to any of these evicts and purges. */
/**
 * The channel this app's replicas announce changes on: the plugin's default, which the first
 * release used, named here so that `npm run cache:purge` announces on the same one.
 */
export const catalogCacheChannel = defaultChannel

export const cachedSources = {
  collections: [collectionSlugs.categories, collectionSlugs.items, collectionSlugs.media],
  globals: [globalSlugs.siteSettings],
}

/**
 * Behind a CDN or Varnish that is purged on every change, its copies may live a day: the purge,
 * not the TTL, keeps them fresh. Browsers still revalidate every time (cheaply, by ETag).
 */
export const purgedEdgeCacheControl = 'public, max-age=0, s-maxage=86400'

/**
 * How this app uses the response cache: the catalog endpoint and what it is built from, the cache
 * of anonymous REST and GraphQL reads, their metrics; with a purged edge in front, long edge TTLs,
 * surrogate keys and the purges (src/config/cdnPurgeOptions.ts).
 */
export const getCatalogCacheOptions = (
  env: Pick<
    AppEnv,
    'CATALOG_CACHE_TTL_SECONDS' | 'RESPONSE_CACHE_ENABLED' | 'RESPONSE_CACHE_MAX_BYTES'
  > &
    PurgeEnv,
): ResponseCachePluginOptions => {
  const metrics = getAppMetrics()
  const isEdgePurged = isEdgePurgeConfigured(env)
  // Without a purged edge: the plugin's short defaults (a minute, five more stale).
  const cacheControl = isEdgePurged ? purgedEdgeCacheControl : undefined
  return {
    disabled: !env.RESPONSE_CACHE_ENABLED,
    channel: catalogCacheChannel,
    endpoints: [
      { path: catalogPath, createIncrementalBuild: createIncrementalCatalogBuild, cacheControl },
    ],
    collections: cachedSources.collections,
    globals: cachedSources.globals,
    ttlSeconds: env.CATALOG_CACHE_TTL_SECONDS,
    onEvent: (event) => {
      if (event.type === 'hit') metrics.catalogCacheHits.inc()
      else if (event.type === 'miss') metrics.catalogCacheMisses.inc()
      else if (event.type === 'rebuild') metrics.catalogCacheRebuildSeconds.observe(event.seconds)
      else metrics.catalogCacheInvalidations.inc({ origin: event.origin })
    },
    // Nothing reads the keys unless something in front is purged by them: spare the bytes.
    surrogateKeys: { disabled: !isEdgePurged },
    purgeEdge: purgeFromCdn,
    reads: {
      maxBytes: env.RESPONSE_CACHE_MAX_BYTES,
      cacheControl,
      // The per-category documents (categoryCatalogEndpoints.ts), kept like any other read.
      paths: [catalogCategoriesPath, catalogCategoryPath],
      onEvent: (event) => recordReadEvent(metrics, event),
    },
  }
}
