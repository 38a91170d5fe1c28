import type { ResponseCachePluginOptions } from '../../plugins/responseCache'
import { collectionSlugs, globalSlugs } from '../../collections/slugs'
import type { AppEnv } from '../config/env'
import { getAppMetrics } from '../server/observability/metrics'
import { catalogPath } from './catalogPath'
import { createIncrementalCatalogBuild } from './incrementalCatalog'

export { catalogPath }

/** How this app uses the response cache: the catalog endpoint, what it is built from, its metrics. */
export const getCatalogCacheOptions = (
  env: Pick<AppEnv, 'CATALOG_CACHE_TTL_SECONDS'>,
): ResponseCachePluginOptions => {
  const metrics = getAppMetrics()
  return {
    endpoints: [{ path: catalogPath, createIncrementalBuild: createIncrementalCatalogBuild }],
    collections: [collectionSlugs.categories, collectionSlugs.items, collectionSlugs.media],
    globals: [globalSlugs.siteSettings],
    ttlSeconds: env.CATALOG_CACHE_TTL_SECONDS,
    onEvent: (event) => {
      if (event.type === 'hit') metrics.catalogCacheHits.inc()
      else if (event.type === 'miss') metrics.catalogCacheMisses.inc()
      else if (event.type === 'rebuild') metrics.catalogCacheRebuildSeconds.observe(event.seconds)
      else metrics.catalogCacheInvalidations.inc({ origin: event.origin })
    },
  }
}
