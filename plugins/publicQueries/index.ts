import type { CollectionConfig, Plugin } from 'payload'

import { sanitizePublicQueriesOptions } from './defaults'
import { getClosePublicReadHook, getOpenPublicReadHook } from './hooks/openPublicRead'
import { getReaderRulesHook } from './hooks/readerRules'
import { getStatementTimeoutAfterErrorHook } from './hooks/statementTimeoutAfterError'
import type { PublicQueriesPluginOptions, SanitizedPublicQueriesOptions } from './types'

export type { PublicQueriesPluginOptions } from './types'

const withPublicQueryHooks = (
  collection: CollectionConfig,
  options: SanitizedPublicQueriesOptions,
): CollectionConfig => ({
  ...collection,
  hooks: {
    ...collection.hooks,
    // Last: the rules see the arguments the other hooks settled on, and the transaction opens
    // only once nothing is left to refuse.
    beforeOperation: [
      ...(collection.hooks?.beforeOperation ?? []),
      getReaderRulesHook({ options }),
      getOpenPublicReadHook({ options }),
    ],
    // First: the transaction is committed before other hooks run, as if there had been none.
    afterOperation: [getClosePublicReadHook(), ...(collection.hooks?.afterOperation ?? [])],
  },
})

/**
 * What readers may ask of every collection, over REST and GraphQL: drafts and sorts only through
 * documents they may read (see `hooks/readerRules.ts`), and for anonymous readers a statement
 * timeout on every query, so that a few expensive requests cannot hold the database every replica
 * shares. Requires `@payloadcms/db-postgres`.
 */
export const publicQueriesPlugin =
  (options: PublicQueriesPluginOptions = {}): Plugin =>
  (incoming) => {
    const sanitized = sanitizePublicQueriesOptions(options)
    return {
      ...incoming,
      collections: incoming.collections?.map((collection) =>
        withPublicQueryHooks(collection, sanitized),
      ),
      hooks: {
        ...incoming.hooks,
        // First: the status it sets is what the hooks after it (a request id, say) add to.
        afterError: [
          getStatementTimeoutAfterErrorHook({ options: sanitized }),
          ...(incoming.hooks?.afterError ?? []),
        ],
      },
    }
  }
