import type {
  CollectionAfterChangeHook,
  CollectionAfterDeleteHook,
  CollectionBeforeChangeHook,
  GlobalAfterChangeHook,
} from 'payload'

import type { AuditContext } from '../types'
import {
  classifyCollectionUpdate,
  classifyUpdate,
  hasDrafts,
  liveStatusesOf,
  readLiveStatus,
  type Doc,
} from '../utilities/classifyUpdate'
import { diffDocuments, redactDocument, type FieldChange } from '../utilities/redact'
import { isAuditDisabled, writeAuditEntry } from '../utilities/writeAuditEntry'

/** Notes, for collections with drafts, whether the document was live before the change. */
export const getAuditBeforeChangeHook =
  (): CollectionBeforeChangeHook =>
  async ({ collection, context: hookContext, data, operation, originalDoc, req }) => {
    const id = (originalDoc as Doc | undefined)?.id as number | string | undefined
    if (operation !== 'update' || id === undefined || !hasDrafts(collection)) return data
    if (isAuditDisabled(req, hookContext)) return data
    liveStatusesOf(req).set(`${collection.slug}:${id}`, await readLiveStatus(req, collection, id))
    return data
  }

const unpublished: FieldChange = { path: '_status', before: 'published', after: 'draft' }

export const getAuditAfterChangeHook =
  (context: AuditContext): CollectionAfterChangeHook =>
  async ({ collection, doc, previousDoc, operation, req, context: hookContext }) => {
    if (isAuditDisabled(req, hookContext)) return doc
    const after = redactDocument(doc, context.redactedFields)
    if (operation === 'create') {
      await writeAuditEntry(context, req, {
        action: doc._status === 'published' ? 'publish' : 'create',
        collection: collection.slug,
        documentId: doc.id,
        changes: { snapshot: after },
      })
      return doc
    }
    const changes = diffDocuments(redactDocument(previousDoc, context.redactedFields), after)
    // Payload hashes a new password into `hash`/`salt`, which are hidden from hooks: the request says it.
    const isPasswordChange = typeof (req.data as Doc | undefined)?.password === 'string'
    if (isPasswordChange)
      changes.push({ path: 'password', before: '[redacted]', after: '[redacted]' })
    const action = hookContext?.isRestoringVersion
      ? 'restore'
      : await classifyCollectionUpdate({
          collection,
          changes,
          previousDoc: previousDoc as Doc | undefined,
          doc: doc as Doc,
          req,
        })
    // Unpublishing a document whose latest version is already a draft changes no field of it.
    if (action === 'unpublish' && !changes.some((change) => change.path === '_status')) {
      changes.push(unpublished)
    }
    if (changes.length === 0) return doc
    await writeAuditEntry(context, req, {
      action,
      collection: collection.slug,
      documentId: doc.id,
      changes: { fields: changes },
    })
    return doc
  }

export const getAuditAfterDeleteHook =
  (context: AuditContext): CollectionAfterDeleteHook =>
  async ({ collection, doc, id, req, context: hookContext }) => {
    if (isAuditDisabled(req, hookContext)) return doc
    await writeAuditEntry(context, req, {
      action: 'delete',
      collection: collection.slug,
      documentId: id,
      changes: { snapshot: redactDocument(doc, context.redactedFields) },
    })
    return doc
  }

export const getAuditGlobalAfterChangeHook =
  (context: AuditContext): GlobalAfterChangeHook =>
  async ({ global, doc, previousDoc, req, context: hookContext }) => {
    if (isAuditDisabled(req, hookContext)) return doc
    const changes = diffDocuments(
      redactDocument(previousDoc, context.redactedFields),
      redactDocument(doc, context.redactedFields),
    )
    if (changes.length === 0) return doc
    await writeAuditEntry(context, req, {
      action: classifyUpdate(changes, previousDoc as Doc, doc as Doc),
      global: global.slug,
      changes: { fields: changes },
    })
    return doc
  }
