import type { Config } from 'payload'

import { defaultOptions } from './defaults'
import { getCollectionGuardHook } from './hooks/getCollectionGuardHook'
import { getGlobalGuardHook } from './hooks/getGlobalGuardHook'
import type { RequestBodyGuardOptions } from './types'

export type { RequestBodyGuardOptions } from './types'

/**
 * Checks what a client writes — over REST, GraphQL, or the Local API with `overrideAccess: false` —
 * before any other hook sees it: the data is an object; every value fits its field (text is text,
 * numbers are finite and within min/max, ids are ids, options are options); REST writes name only
 * fields; relationships point at documents that exist. Anything else is a 400 with Payload's
 * validation error shape, naming the field — not the 500 that field hooks or the database would
 * answer. Runs first on every collection and global it is given, so add it after plugins whose
 * hooks should not see such data.
 */
export const requestBodyGuardPlugin =
  (incomingOptions: RequestBodyGuardOptions = {}) =>
  (incoming: Config): Config => {
    const options = { ...defaultOptions, ...incomingOptions }
    return {
      ...incoming,
      collections: incoming.collections?.map((collection) => ({
        ...collection,
        hooks: {
          ...collection.hooks,
          beforeOperation: [
            getCollectionGuardHook({ collection, options }),
            ...(collection.hooks?.beforeOperation ?? []),
          ],
        },
      })),
      globals: incoming.globals?.map((global) => ({
        ...global,
        hooks: {
          ...global.hooks,
          beforeOperation: [
            getGlobalGuardHook({ global, options }),
            ...(global.hooks?.beforeOperation ?? []),
          ],
        },
      })),
    }
  }
