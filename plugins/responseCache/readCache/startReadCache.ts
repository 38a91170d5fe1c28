import type { Payload } from 'payload'

import type { SanitizedResponseCacheOptions } from '../types'
import { toPathPattern, type PathPattern } from './readRoutes'
import type { ReadCacheState } from './state'
import { createReadStore } from './store'

/** The collections and globals whose anonymous answers may be kept. */
export const cacheableSlugs = (
  options: Pick<SanitizedResponseCacheOptions, 'watchedCollections' | 'watchedGlobals' | 'reads'>,
  authCollections: ReadonlySet<string>,
) => ({
  collections: new Set(
    [...options.watchedCollections].filter(
      (slug) => !authCollections.has(slug) && !options.reads.excludedCollections.has(slug),
    ),
  ),
  globals: new Set(options.watchedGlobals),
})

/**
 * Payload's own collection routes, which its sanitised config lists among each collection's
 * endpoints; any other GET endpoint of a collection is the app's own, and no document read.
 */
const payloadCollectionPaths = new Set([
  '/',
  '/:id',
  '/count',
  '/versions',
  '/versions/:id',
  '/access/:id?',
  '/:id/duplicate',
])

const isCorsPerOrigin = (cors: unknown): boolean => {
  if (Array.isArray(cors)) return true
  return Boolean(
    cors && typeof cors === 'object' && Array.isArray((cors as { origins?: unknown }).origins),
  )
}

/** The read cache of an instance, from its config; the listener feeds it changes. */
export const startReadCache = (
  payload: Payload,
  options: SanitizedResponseCacheOptions,
): ReadCacheState => {
  const { config } = payload
  const authCollections = new Set(
    config.collections.filter((collection) => collection.auth).map(({ slug }) => slug),
  )
  const { collections, globals } = cacheableSlugs(options, authCollections)
  const collectionEndpoints = new Map<string, PathPattern[]>()
  for (const collection of config.collections) {
    if (!collections.has(collection.slug) || !collection.endpoints) continue
    collectionEndpoints.set(
      collection.slug,
      collection.endpoints
        .filter(
          (endpoint) => endpoint.method === 'get' && !payloadCollectionPaths.has(endpoint.path),
        )
        .map((endpoint) => toPathPattern(endpoint.path)),
    )
  }
  const { reads } = options
  return {
    store: createReadStore({
      maxBytes: reads.maxBytes,
      maxEntryBytes: reads.maxEntryBytes,
      onEvent: reads.onEvent,
    }),
    routes: {
      apiRoute: config.routes.api,
      graphQLRoute: config.routes.graphQL,
      collections,
      globals,
      collectionEndpoints,
      paths: reads.paths.map(toPathPattern),
    },
    cors: config.cors,
    vary: isCorsPerOrigin(config.cors) ? 'Accept-Encoding, Origin' : 'Accept-Encoding',
    cacheControl: reads.cacheControl,
    surrogateKeys: options.surrogateKeys,
    credentialCookie: `${config.cookiePrefix}-token`,
    maxQueryBodyBytes: reads.maxQueryBodyBytes,
    onEvent: reads.onEvent,
  }
}
