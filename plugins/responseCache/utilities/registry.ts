import type { Payload } from 'payload'

import crypto from 'node:crypto'

import type { ReadCacheState } from '../readCache/state'
import type { ResponseCache } from './responseCache'

export type RegisteredCache = {
  cache: ResponseCache
  cacheControl: string
  /** `Surrogate-Key` and `Cache-Tag` of the endpoint's document; empty when none are sent. */
  surrogateKeyHeaders: Record<string, string>
}

/** The cached endpoints of one Payload instance, by API path, and how to stop its listener. */
export type CacheRegistry = {
  caches: Map<string, RegisteredCache>
  /**
   * Set once the LISTEN connection is up. Without it no NOTIFY follows the commit to discard a
   * rebuild that read the data before it, so local invalidations then rebuild fully.
   */
  hasListener: boolean
  /** Stops the LISTEN connection and its timers; set once the listener has started. */
  stop?: () => Promise<void>
  /** The cache of anonymous reads, once started; undefined when it is off. */
  reads?: ReadCacheState
  /** Names this instance in its announcements, so listeners can tell senders apart. */
  sender: string
  /** The number of this instance's last announcement. */
  sequence: number
  /** The highest number of this instance's own announcements that came back through LISTEN. */
  deliveredSequence: number
}

const registriesKey = Symbol.for('@catalog-cms/response-cache.registries')
type RegistriesHolder = { [registriesKey]?: WeakMap<Payload, CacheRegistry> }

/**
 * The registry of one Payload instance: two instances in one process (tests, a script beside a
 * server) keep separate caches. The WeakMap sits on `globalThis` because a custom HTTP server
 * (which answers cache hits without entering Next.js) and Payload may load this module in two
 * module graphs, and both must see the same registry for the same instance.
 */
export const getCacheRegistry = (payload: Payload): CacheRegistry => {
  const holder = globalThis as RegistriesHolder
  holder[registriesKey] ??= new WeakMap()
  const registries = holder[registriesKey]
  const known = registries.get(payload)
  if (known) return known
  const created: CacheRegistry = {
    caches: new Map(),
    hasListener: false,
    sender: crypto.randomUUID(),
    sequence: 0,
    deliveredSequence: 0,
  }
  registries.set(payload, created)
  return created
}
