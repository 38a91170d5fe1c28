import type { CollectionAfterOperationHook } from 'payload'

import type { SanitizedGraphQLDocumentBudgetOptions } from '../types'
import { documentCountOf, documentLimitError, isClientRead } from '../utilities/documentCount'

const documentsIn = (operation: string, result: unknown): number => {
  if (operation === 'find' || operation === 'findVersions') {
    const docs = (result as { docs?: unknown } | undefined)?.docs
    return Array.isArray(docs) ? docs.length : 0
  }
  return operation === 'findByID' || operation === 'findVersionByID' ? 1 : 0
}

/** Counts what each read returned, and refuses the request past the limit. */
export const getCountDocumentsReadHook =
  ({ options }: { options: SanitizedGraphQLDocumentBudgetOptions }): CollectionAfterOperationHook =>
  ({ args, operation, req, result }) => {
    const documents = documentsIn(operation, result)
    if (documents === 0 || !isClientRead(req, args)) return result
    const count = documentCountOf(req)
    count.read += documents
    if (count.read > options.maxDocuments) throw documentLimitError(options.maxDocuments)
    return result
  }
