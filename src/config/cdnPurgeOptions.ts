import {
  hasPurgeTargets,
  type CdnPurgeEvent,
  type CdnPurgePluginOptions,
  type PurgeTargets,
} from '../../plugins/cdnPurge'
import { collectionSlugs } from '../../collections/slugs'
import { getAppMetrics, type AppMetrics } from '../server/observability/metrics'
import type { AppEnv } from './env'

export type PurgeEnv = Pick<
  AppEnv,
  | 'CLOUDFLARE_API_TOKEN'
  | 'CLOUDFLARE_ZONE_ID'
  | 'CLOUDFLARE_API_BASE'
  | 'CLOUDFLARE_PURGE_RATE'
  | 'CACHE_PURGE_URLS'
>

/** The CDN and HTTP caches in front of the app that are told of every change, from the env. */
export const getPurgeTargets = (env: PurgeEnv): PurgeTargets => ({
  cloudflare:
    env.CLOUDFLARE_API_TOKEN && env.CLOUDFLARE_ZONE_ID
      ? {
          apiToken: env.CLOUDFLARE_API_TOKEN,
          zoneId: env.CLOUDFLARE_ZONE_ID,
          apiBase: env.CLOUDFLARE_API_BASE,
          maxRequestsPerSecond: env.CLOUDFLARE_PURGE_RATE,
        }
      : undefined,
  httpCaches: env.CACHE_PURGE_URLS,
})

/**
 * Whether something in front of the app is purged on every change: then its copies may live for
 * a day (see catalogCacheOptions.ts), and answers carry the surrogate keys it purges by.
 */
export const isEdgePurgeConfigured = (env: PurgeEnv): boolean =>
  hasPurgeTargets(getPurgeTargets(env))

const recordPurgeEvent = (metrics: AppMetrics, event: CdnPurgeEvent) => {
  if (event.type === 'request')
    metrics.cdnPurgeRequests.inc({ target: event.target, outcome: event.outcome })
  else if (event.type === 'failure')
    metrics.cdnPurgeFailures.inc({ target: event.target, stage: event.stage })
  else {
    metrics.cdnPurgeKeys.inc({ target: event.target }, event.keys + event.files)
    metrics.cdnPurgeDelaySeconds.observe({ target: event.target }, event.seconds)
  }
}

/**
 * How this app purges what is in front of it: the targets from the env, the files of deleted or
 * replaced media on the origins a CDN may serve them from, the metrics.
 */
export const getCdnPurgeOptions = (
  env: PurgeEnv & Pick<AppEnv, 'r2' | 'SERVER_URL'>,
): CdnPurgePluginOptions => ({
  targets: getPurgeTargets(env),
  files: {
    collections: [collectionSlugs.media],
    urlPrefixes: [env.r2?.publicBase, env.SERVER_URL]
      .filter((origin): origin is string => Boolean(origin))
      .map((origin) => `${origin}/`),
  },
  onEvent: (event) => recordPurgeEvent(getAppMetrics(), event),
})
