import type { Plugin } from 'payload'

import { sanitizeDocumentBudgetOptions } from './defaults'
import { getCountDocumentsReadHook } from './hooks/countDocumentsRead'
import { getRefuseOverBudgetReadHook } from './hooks/refuseOverBudgetRead'
import type { GraphQLDocumentBudgetPluginOptions } from './types'

export { documentLimitErrorName, documentLimitMessage } from './defaults'
export type { GraphQLDocumentBudgetPluginOptions } from './types'

/**
 * Counts the documents each GraphQL request actually reads, in every collection, and refuses the
 * request (400) once it has read more than `maxDocuments`. A cost estimate can refuse a query
 * before it runs when its lists could hold more; this count also holds what no estimate can see —
 * a `hasMany` list longer than assumed, relationships and uploads inside rich text, which Payload
 * populates as it resolves the field. REST, the Local API and reads that override access are not
 * counted.
 */
export const graphQLDocumentBudgetPlugin =
  (options: GraphQLDocumentBudgetPluginOptions = {}): Plugin =>
  (incoming) => {
    const sanitized = sanitizeDocumentBudgetOptions(options)
    return {
      ...incoming,
      collections: incoming.collections?.map((collection) => ({
        ...collection,
        hooks: {
          ...collection.hooks,
          beforeOperation: [
            ...(collection.hooks?.beforeOperation ?? []),
            getRefuseOverBudgetReadHook({ options: sanitized }),
          ],
          afterOperation: [
            ...(collection.hooks?.afterOperation ?? []),
            getCountDocumentsReadHook({ options: sanitized }),
          ],
        },
      })),
    }
  }
