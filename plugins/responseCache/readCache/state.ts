import type { SurrogateKeyLimits } from '../utilities/surrogateKeys'
import type { ReadRouteSettings } from './readRoutes'
import type { ReadCacheEvent, ReadStore } from './store'

export type ReadEvent = ReadCacheEvent | { type: 'read'; outcome: 'HIT' | 'MISS' | 'BYPASS' }

/** The read cache of one Payload instance, as the server's fast path uses it. */
export type ReadCacheState = {
  store: ReadStore
  routes: ReadRouteSettings
  /** Payload's `cors` setting: answers differ by `Origin` only for the origins it allows. */
  cors: unknown
  /** `Vary` of cached answers: by `Origin` too when CORS headers name the request's origin. */
  vary: string
  cacheControl: string
  /** How stored answers get their `Surrogate-Key` and `Cache-Tag`; undefined: they get none. */
  surrogateKeys?: SurrogateKeyLimits
  /** The name of Payload's session cookie (`<cookiePrefix>-token`). */
  credentialCookie: string
  /** GraphQL POST bodies up to this size are read to key the query; larger ones bypass. */
  maxQueryBodyBytes: number
  onEvent: (event: ReadEvent) => void
}
