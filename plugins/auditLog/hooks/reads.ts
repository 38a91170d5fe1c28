import type { CollectionAfterOperationHook } from 'payload'

import type { AuditContext } from '../types'
import { isAuditDisabled, writeAuditEntry } from '../utilities/writeAuditEntry'

export const getAuditReadHook =
  (context: AuditContext): CollectionAfterOperationHook =>
  async ({ collection, operation, req, result }) => {
    if ((operation === 'find' || operation === 'findByID') && !isAuditDisabled(req)) {
      const id =
        operation === 'findByID' ? (result as { id?: number | string } | undefined)?.id : undefined
      await writeAuditEntry(context, req, {
        action: 'read',
        collection: collection.slug,
        documentId: id,
      })
    }
    return result
  }
