import type { CollectionConfig, Plugin } from 'payload'

import { getReaderRulesHook } from './readerRules'
import {
  getClosePublicReadHook,
  getOpenPublicReadHook,
  getStatementTimeoutAfterErrorHook,
} from './statementTimeout'

export type PublicQueriesOptions = {
  /**
   * Longest a statement of an anonymous REST or GraphQL read or count may run, in milliseconds;
   * PostgreSQL stops it then and the client gets a 503.
   * @default 2000 (PUBLIC_QUERY_TIMEOUT_MS)
   */
  statementTimeoutMs: number
}

const withPublicQueryHooks = (
  collection: CollectionConfig,
  options: PublicQueriesOptions,
): CollectionConfig => ({
  ...collection,
  hooks: {
    ...collection.hooks,
    // Last: the rules see the arguments the other hooks settled on, and the transaction opens
    // only once nothing is left to refuse.
    beforeOperation: [
      ...(collection.hooks?.beforeOperation ?? []),
      getReaderRulesHook(),
      getOpenPublicReadHook(options),
    ],
    // First: the transaction is committed before other hooks run, as if there had been none.
    afterOperation: [getClosePublicReadHook(), ...(collection.hooks?.afterOperation ?? [])],
  },
})

/**
 * What anonymous readers may ask of every collection, over REST and GraphQL: drafts and sorts
 * only through documents they may read (see `readerRules.ts`), and a statement timeout on every
 * query, so that a few expensive requests cannot hold the database every replica shares.
 */
export const publicQueriesPlugin =
  (options: PublicQueriesOptions): Plugin =>
  (config) => ({
    ...config,
    collections: config.collections?.map((collection) => withPublicQueryHooks(collection, options)),
    hooks: {
      ...config.hooks,
      // First: the status it sets is what the hooks after it (the request id) add to.
      afterError: [getStatementTimeoutAfterErrorHook(options), ...(config.hooks?.afterError ?? [])],
    },
  })
