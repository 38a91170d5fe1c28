import type { Payload } from 'payload'

import { defaultCacheControl } from '../defaults'
import { getEndpointBuild } from '../endpoints/cachedEndpoint'
import type { CachedEndpointOptions, SanitizedResponseCacheOptions } from '../types'
import { parseChangeMessage } from './changes'
import { invalidateCaches } from './invalidateCaches'
import { getConnectionString, startListener } from './invalidation'
import { getCacheRegistry } from './registry'
import { createResponseCache } from './responseCache'

export const cacheControlOf = (endpoint: CachedEndpointOptions): string =>
  endpoint.cacheControl ?? defaultCacheControl

/**
 * Creates the instance's caches and its LISTEN connection, from `onInit`. The connection is
 * stopped by `stopResponseCache(payload)`.
 */
export const startCaches = async (payload: Payload, options: SanitizedResponseCacheOptions) => {
  const registry = getCacheRegistry(payload)
  for (const endpoint of options.endpoints) {
    registry.caches.set(endpoint.path, {
      cacheControl: cacheControlOf(endpoint),
      cache: createResponseCache({
        ttlMs: options.ttlMs,
        graceMs: options.graceMs,
        onEvent: options.onEvent,
        build: getEndpointBuild(endpoint, payload),
      }),
    })
  }
  const connectionString = getConnectionString(payload)
  if (!connectionString) {
    payload.logger.warn({
      msg: 'No PostgreSQL connection string: cache invalidation stays within this replica',
    })
    return
  }
  const listener = startListener({
    connectionString,
    channel: options.channel,
    onMessage: (message) =>
      invalidateCaches({
        payload,
        options,
        origin: 'notification',
        change: parseChangeMessage(message),
      }),
    // Notifications may have been missed while disconnected: everything is stale.
    onReconnect: () =>
      invalidateCaches({ payload, options, origin: 'reconnect', change: undefined }),
    onError: (error) =>
      payload.logger.warn({
        err: error,
        msg: 'Cache invalidation listener lost its connection; reconnecting',
      }),
  })
  await listener.ready
  registry.hasListener = true
  registry.stop = async () => {
    registry.hasListener = false
    await listener.stop()
  }
}
