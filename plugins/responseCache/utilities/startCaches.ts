import type { Payload } from 'payload'

import { defaultCacheControl, sequenceGapGraceMs } from '../defaults'
import { getEndpointBuild } from '../endpoints/cachedEndpoint'
import type { CachedEndpointOptions, SanitizedResponseCacheOptions } from '../types'
import { parseChangeMessage } from './changes'
import { invalidateCaches } from './invalidateCaches'
import { getConnectionString, startListener } from './invalidation'
import { getCacheRegistry } from './registry'
import { createResponseCache } from './responseCache'
import { createGapDetector } from './sequenceGaps'
import { createEdgePurgeRequests } from './edgePurge'
import { coarseSurrogateKeysOf, toSurrogateKeyHeaders } from './surrogateKeys'
import { startReadCache } from '../readCache/startReadCache'

export const cacheControlOf = (endpoint: CachedEndpointOptions): string =>
  endpoint.cacheControl ?? defaultCacheControl

/**
 * Creates the instance's caches and its LISTEN connection, from `onInit`. The connection is
 * stopped by `stopResponseCache(payload)`.
 */
export const startCaches = async (payload: Payload, options: SanitizedResponseCacheOptions) => {
  const registry = getCacheRegistry(payload)
  // An endpoint is rebuilt on any change of what the plugin watches: so is its copy at the edge.
  const endpointKeyHeaders = options.surrogateKeys
    ? toSurrogateKeyHeaders(
        coarseSurrogateKeysOf({
          collections: options.watchedCollections,
          globals: options.watchedGlobals,
        }),
      )
    : {}
  for (const endpoint of options.endpoints) {
    registry.caches.set(endpoint.path, {
      cacheControl: cacheControlOf(endpoint),
      surrogateKeyHeaders: endpointKeyHeaders,
      cache: createResponseCache({
        ttlMs: options.ttlMs,
        graceMs: options.graceMs,
        onEvent: options.onEvent,
        build: getEndpointBuild(endpoint, payload),
      }),
    })
  }
  if (options.reads.isEnabled) registry.reads = startReadCache(payload, options)
  const connectionString = getConnectionString(payload)
  if (!connectionString) {
    payload.logger.warn({
      msg: 'No PostgreSQL connection string: cache invalidation stays within this replica',
    })
    return
  }
  const gaps = createGapDetector({ graceMs: sequenceGapGraceMs })
  const edge = createEdgePurgeRequests(payload, options)
  // A lost announcement is noticed even when nothing else arrives after it.
  const gapCheck = setInterval(() => {
    if (!gaps.hasOverdueGap()) return
    invalidateCaches({ payload, options, origin: 'notification', change: undefined })
    edge.purgeEverything('gap')
  }, sequenceGapGraceMs / 2).unref()
  const listener = startListener({
    connectionString,
    channel: options.channel,
    onMessage: (message) => {
      const { change, origin } = parseChangeMessage(message)
      const isOwn = origin?.sender === registry.sender
      if (isOwn) registry.deliveredSequence = Math.max(registry.deliveredSequence, origin.sequence)
      const isGap = origin !== undefined && gaps.observe(origin)
      invalidateCaches({
        payload,
        options,
        origin: 'notification',
        change: isGap ? undefined : change,
      })
      // Once this replica has dropped its copies (the others got the message at the same moment):
      // each replica purges only its own changes, so a change is purged once, whoever hears it.
      if (isOwn) edge.purgeOwnChange(change)
      if (isGap) edge.purgeEverything('gap')
    },
    // Notifications may have been missed while disconnected: everything is stale, here and in
    // whatever the edge fetched from here meanwhile, this replica's own changes included.
    onReconnect: () => {
      gaps.reset()
      invalidateCaches({ payload, options, origin: 'reconnect', change: undefined })
      edge.purgeEverything('reconnect')
    },
    onError: (error) =>
      payload.logger.warn({
        err: error,
        msg: 'Cache invalidation listener lost its connection; reconnecting',
      }),
  })
  await listener.ready
  registry.hasListener = true
  registry.stop = async () => {
    clearInterval(gapCheck)
    registry.hasListener = false
    await listener.stop()
  }
}
