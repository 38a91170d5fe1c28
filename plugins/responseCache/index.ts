import type { Config } from 'payload'

import { getCachedEndpoint } from './endpoints/cachedEndpoint'
import {
  getInvalidateAfterChangeHook,
  getInvalidateAfterDeleteHook,
  getInvalidateGlobalAfterChangeHook,
  type InvalidationContext,
} from './hooks/invalidate'
import {
  getMarkUncacheableHook,
  getTrackDocumentReadHook,
  getTrackGlobalReadHook,
  getTrackListReadHook,
  withTrackedReadAccess,
} from './hooks/trackReads'
import type { ResponseCachePluginOptions, SanitizedResponseCacheOptions } from './types'
import { appendHooks } from '../pluginKit'
import { invalidateLocally } from './utilities/invalidateCaches'
import { sanitizeOptions } from './utilities/sanitizeOptions'
import { cacheControlOf, startCaches } from './utilities/startCaches'

export type {
  CacheChange,
  CachedEndpointOptions,
  EdgePurgeRequest,
  IncrementalBuild,
  ResponseCachePluginOptions,
  SurrogateKeyOptions,
} from './types'
export { everythingPurgeKeysOf } from './utilities/surrogateKeys'
export type { CacheEvent, CachedResponse } from './utilities/responseCache'
export {
  getCachedDocument,
  serveCachedEndpoint,
  stopResponseCache,
  waitForChangesDelivered,
} from './fastPath'
export { getCacheRegistry, type CacheRegistry } from './utilities/registry'
export { announcePurge } from './utilities/invalidation'
export { defaultChannel } from './defaults'
export { serveCacheableRead, serveStoredReadByUrl, type ReadOutcome } from './readCache/serveRead'
export type { ReadEvent } from './readCache/state'
export type { ReadCacheOptions } from './types'

type CollectionConfig = NonNullable<Config['collections']>[number]
type GlobalConfig = NonNullable<Config['globals']>[number]

/**
 * Records what each anonymous read reads: the documents (afterRead), the lists and counts
 * (beforeOperation) and the read rule's own `where`. Collections whose answers may not be kept
 * mark any read that touches them as not to be kept.
 */
const withReadTracking = (
  collection: CollectionConfig,
  options: SanitizedResponseCacheOptions,
): CollectionConfig => {
  const isCacheable =
    options.watchedCollections.has(collection.slug) &&
    !collection.auth &&
    !options.reads.excludedCollections.has(collection.slug)
  if (!isCacheable)
    return appendHooks(collection, {
      beforeOperation: [getMarkUncacheableHook()],
      afterRead: [getMarkUncacheableHook()],
    })
  const read = collection.access?.read
  const tracked = appendHooks(collection, {
    beforeOperation: [getTrackListReadHook()],
    afterRead: [getTrackDocumentReadHook()],
  })
  if (!read) return tracked
  return {
    ...tracked,
    access: { ...collection.access, read: withTrackedReadAccess(collection.slug, read) },
  }
}

const withGlobalReadTracking = (
  global: GlobalConfig,
  options: SanitizedResponseCacheOptions,
): GlobalConfig =>
  appendHooks(global, {
    afterRead: [
      options.watchedGlobals.has(global.slug) ? getTrackGlobalReadHook() : getMarkUncacheableHook(),
    ],
  })

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
    const collections = (incoming.collections ?? [])
      .map((collection) =>
        sanitized.watchedCollections.has(collection.slug)
          ? appendHooks(collection, {
              afterChange: [getInvalidateAfterChangeHook(context)],
              afterDelete: [getInvalidateAfterDeleteHook(context)],
            })
          : collection,
      )
      .map((collection) =>
        sanitized.reads.isEnabled ? withReadTracking(collection, sanitized) : collection,
      )
    const globals = (incoming.globals ?? [])
      .map((global) =>
        sanitized.watchedGlobals.has(global.slug)
          ? appendHooks(global, { afterChange: [getInvalidateGlobalAfterChangeHook(context)] })
          : global,
      )
      .map((global) =>
        sanitized.reads.isEnabled ? withGlobalReadTracking(global, sanitized) : global,
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
