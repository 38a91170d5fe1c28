import type { CollectionBeforeOperationHook } from 'payload'

import type { SanitizedGraphQLDocumentBudgetOptions } from '../types'
import { documentCountOf, documentLimitError, isClientRead } from '../utilities/documentCount'
import { joinPageSizeOf } from '../utilities/joinPageSizes'

/** The operations that read documents, as `beforeOperation` hooks see them. */
const readOperations = new Set(['read', 'findVersions', 'findVersionByID'])

/**
 * Refuses a read once the request has read more than the limit, so work that has started stops at
 * the next read instead of running on.
 *
 * Also bounds the one read Payload's GraphQL leaves unbounded: a join asked without `limit` reads
 * every related document (REST gives it the join's `defaultLimit`). In a GraphQL request, `limit: 0`
 * reaches a read only from there — `limit: 0` in a query is refused by Payload's GraphQL
 * arguments, the relationship loader passes no limit — and gets the join's page size instead.
 */
export const getRefuseOverBudgetReadHook =
  ({
    options,
  }: {
    options: SanitizedGraphQLDocumentBudgetOptions
  }): CollectionBeforeOperationHook =>
  ({ args, collection, operation, req }) => {
    if (!readOperations.has(operation) || !isClientRead(req, args)) return args
    if (documentCountOf(req).read > options.maxDocuments) {
      throw documentLimitError(options.maxDocuments)
    }
    if (operation === 'read' && (args as { limit?: unknown }).limit === 0) {
      return { ...args, limit: joinPageSizeOf(req.payload.config, collection.slug) }
    }
    return args
  }
