import type { Payload } from 'payload'

import type { CacheChange, EdgePurgeRequest, SanitizedResponseCacheOptions } from '../types'
import { coarsePurgeKeysOf, everythingPurgeKeysOf, purgeKeysOf } from './surrogateKeys'

type EdgePurgeOptions = Pick<
  SanitizedResponseCacheOptions,
  'purgeEdge' | 'watchedCollections' | 'watchedGlobals'
>

/**
 * The purge requests a replica's listener makes (see `EdgePurgeRequest`). A purger that throws
 * is logged and never stops the listener.
 */
export const createEdgePurgeRequests = (payload: Payload, options: EdgePurgeOptions) => {
  const request = (purge: Omit<EdgePurgeRequest, 'payload'>) => {
    try {
      options.purgeEdge?.({ payload, ...purge })
    } catch (error) {
      payload.logger.error({ err: error, msg: 'Asking for a CDN purge failed' })
    }
  }
  const everything = everythingPurgeKeysOf({
    collections: options.watchedCollections,
    globals: options.watchedGlobals,
  })
  const purgeEverything = (reason: 'reconnect' | 'gap') =>
    request({ reason, keys: everything, coarseKeys: everything })
  return {
    /** This replica's own change, back through LISTEN: committed. */
    purgeOwnChange: (change: CacheChange | undefined) => {
      if (!options.purgeEdge) return
      // Our own announcements are always readable; should one not be, purge what it could touch.
      if (!change) return request({ reason: 'change', keys: everything, coarseKeys: everything })
      request({
        reason: 'change',
        change,
        keys: purgeKeysOf(change),
        coarseKeys: coarsePurgeKeysOf(change),
      })
    },
    /**
     * This replica may have missed changes, and answered the edge from entries that were stale
     * by then: everything it covers goes (coarse keys, one request).
     */
    purgeEverything: (reason: 'reconnect' | 'gap') => {
      if (options.purgeEdge) purgeEverything(reason)
    },
  }
}
