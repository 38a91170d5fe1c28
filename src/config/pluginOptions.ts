import { revalidateTag } from 'next/cache'

import type { OpsPluginOptions } from '../../plugins/ops'
import { collectionSlugs, globalSlugs } from '../../collections/slugs'
import { isAdmin, isAdminField } from './access'
import { createIncrementalCatalogBuild } from '../catalog/incrementalCatalog'
import type { AppEnv } from './env'
import { getAppMetrics } from '../server/observability/metrics'
import { clientIpHeader } from '../server/observability/requestId'

export const catalogPath = '/catalog'
export const catalogCacheTag = 'catalog'

/** How this app uses the ops plugin: what it audits, what the catalog is built from, and its metrics. */
export const getOpsPluginOptions = (
  env: Pick<AppEnv, 'CATALOG_CACHE_TTL_SECONDS' | 'AUDIT_RETENTION_DAYS'>,
): OpsPluginOptions => {
  const metrics = getAppMetrics()
  return {
    audit: {
      readAccess: isAdmin,
      personalDataAccess: isAdminField,
      retentionDays: env.AUDIT_RETENTION_DAYS,
      // Set by our HTTP server from the socket (or trusted proxy headers), never taken from the client.
      getClientIp: (req) => req.headers?.get(clientIpHeader) ?? undefined,
      onWrite: (action) => metrics.auditRowsWritten.inc({ action }),
    },
    cache: {
      endpoints: [{ path: catalogPath, createIncrementalBuild: createIncrementalCatalogBuild }],
      collections: [collectionSlugs.categories, collectionSlugs.items, collectionSlugs.media],
      globals: [globalSlugs.siteSettings],
      ttlSeconds: env.CATALOG_CACHE_TTL_SECONDS,
      revalidate: () => {
        try {
          revalidateTag(catalogCacheTag, 'max')
        } catch {
          // Outside a Next.js request (scripts, tests) there is no Next cache to refresh.
        }
      },
      onEvent: (event) => {
        if (event.type === 'hit') metrics.catalogCacheHits.inc()
        else if (event.type === 'miss') metrics.catalogCacheMisses.inc()
        else if (event.type === 'rebuild') metrics.catalogCacheRebuildSeconds.observe(event.seconds)
        else metrics.catalogCacheInvalidations.inc({ origin: event.origin })
      },
    },
  }
}
