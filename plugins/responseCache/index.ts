import type { Config } from 'payload'

import { getCachedEndpoint } from './endpoints/cachedEndpoint'
import {
  getInvalidateAfterChangeHook,
  getInvalidateAfterDeleteHook,
  getInvalidateGlobalAfterChangeHook,
  type InvalidationContext,
} from './hooks/invalidate'
import type { ResponseCachePluginOptions } from './types'
import { appendHooks } from '../pluginKit'
import { invalidateLocally } from './utilities/invalidateCaches'
import { sanitizeOptions } from './utilities/sanitizeOptions'
import { cacheControlOf, startCaches } from './utilities/startCaches'

export type {
  CacheChange,
  CachedEndpointOptions,
  IncrementalBuild,
  ResponseCachePluginOptions,
} from './types'
export type { CacheEvent, CachedResponse } from './utilities/responseCache'
export { getCachedDocument, serveCachedEndpoint, stopResponseCache } from './fastPath'
export { getCacheRegistry, type CacheRegistry } from './utilities/registry'

/**
 * Cached JSON endpoints for a Payload app on PostgreSQL, invalidated on every replica the moment
 * the data they are built from changes (NOTIFY after commit). Returns a new config; never
 * mutates its input.
 */
export const responseCachePlugin =
  (options: ResponseCachePluginOptions = {}) =>
  (incoming: Config): Config => {
    const sanitized = sanitizeOptions(options, incoming)
    // Disabled, the endpoints stay and build on every request: clients keep their URLs.
    const endpoints = sanitized.endpoints.map((endpoint) =>
      getCachedEndpoint({ endpoint, cacheControl: cacheControlOf(endpoint) }),
    )
    const withEndpoints: Config = {
      ...incoming,
      endpoints: [...(incoming.endpoints ?? []), ...endpoints],
    }
    if (sanitized.isDisabled) return withEndpoints

    const context: InvalidationContext = {
      channel: sanitized.channel,
      invalidateLocally: (payload, change) => invalidateLocally(payload, change, sanitized),
    }
    const collections = (incoming.collections ?? []).map((collection) =>
      sanitized.watchedCollections.has(collection.slug)
        ? appendHooks(collection, {
            afterChange: [getInvalidateAfterChangeHook(context)],
            afterDelete: [getInvalidateAfterDeleteHook(context)],
          })
        : collection,
    )
    const globals = (incoming.globals ?? []).map((global) =>
      sanitized.watchedGlobals.has(global.slug)
        ? appendHooks(global, { afterChange: [getInvalidateGlobalAfterChangeHook(context)] })
        : global,
    )
    return {
      ...withEndpoints,
      collections,
      globals,
      onInit: async (payload) => {
        await incoming.onInit?.(payload)
        await startCaches(payload, sanitized)
      },
    }
  }
