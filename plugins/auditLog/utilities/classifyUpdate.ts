import type { CollectionConfig, CollectionSlug, PayloadRequest } from 'payload'

import type { AuditAction } from '../defaults'
import type { FieldChange } from './redact'

export type Doc = Record<string, unknown>

/** Which action an update is: a password or role change, a (un)publish, or a plain update. */
export const classifyUpdate = (
  changes: FieldChange[],
  previous: Doc | undefined,
  next: Doc,
): AuditAction => {
  const changed = new Set(changes.map((change) => change.path.split('.')[0]))
  if (changed.has('password')) return 'password-change'
  if (changed.has('role') || changed.has('roles')) return 'role-change'
  if (previous?._status !== 'published' && next._status === 'published') return 'publish'
  if (previous?._status === 'published' && next._status === 'draft') return 'unpublish'
  return 'update'
}

export const hasDrafts = (collection: CollectionConfig) =>
  typeof collection.versions === 'object' && Boolean(collection.versions.drafts)

/**
 * The status of the document readers get. Saving a draft writes only a new version and leaves it
 * as it was; an unpublish changes it. The documents the change hooks are given cannot tell these
 * apart: both end in `_status: 'draft'`, and the "previous" one is the latest version, which may
 * itself be a draft while the published document is live.
 */
export const readLiveStatus = async (
  req: PayloadRequest,
  collection: CollectionConfig,
  id: number | string,
): Promise<unknown> => {
  const stored = await req.payload.db.findOne<{ id: number | string; _status?: string | null }>({
    collection: collection.slug as CollectionSlug,
    where: { id: { equals: id } },
    select: { _status: true },
    req,
  })
  return stored?._status
}

/** Live statuses read before changes of this request, by `<collection>:<id>`; a symbol key. */
const liveStatusesKey = Symbol('auditLiveStatuses')

export const liveStatusesOf = (req: PayloadRequest): Map<string, unknown> => {
  const requestContext = req.context as Record<PropertyKey, unknown>
  const statuses = requestContext[liveStatusesKey] as Map<string, unknown> | undefined
  if (statuses) return statuses
  const created = new Map<string, unknown>()
  requestContext[liveStatusesKey] = created
  return created
}

/**
 * For collections with drafts, what happened to the live document decides: it went from published
 * to draft (unpublish), or stayed published while a draft was saved (draft-save). Otherwise, and
 * for other collections, the documents' fields do.
 */
export const classifyCollectionUpdate = async ({
  collection,
  changes,
  previousDoc,
  doc,
  req,
}: {
  collection: CollectionConfig
  changes: FieldChange[]
  previousDoc: Doc | undefined
  doc: Doc
  req: PayloadRequest
}): Promise<AuditAction> => {
  const action = classifyUpdate(changes, previousDoc, doc)
  const key = `${collection.slug}:${String(doc.id)}`
  const statuses = liveStatusesOf(req)
  if (!hasDrafts(collection) || !statuses.has(key)) return action
  const wasLive = statuses.get(key) === 'published'
  statuses.delete(key)
  const isLive = (await readLiveStatus(req, collection, doc.id as number | string)) === 'published'
  if (wasLive && !isLive) return 'unpublish'
  if (wasLive && doc._status === 'draft') return 'draft-save'
  return action
}
