import type {
  CollectionAfterChangeHook,
  CollectionAfterDeleteHook,
  GlobalAfterChangeHook,
  Payload,
  PayloadRequest,
} from 'payload'

import { changedFields } from '../readCache/changedFields'
import type { CacheChange } from '../types'
import { toChangeMessage } from '../utilities/changes'
import { notifyInTransaction } from '../utilities/invalidation'
import { getCacheRegistry } from '../utilities/registry'

export type InvalidationContext = {
  channel: string
  /** Marks this replica's caches (of `payload`) stale at once, before the change commits. */
  invalidateLocally: (payload: Payload, change: CacheChange) => void
}

/** Bulk jobs that invalidate once at the end may skip per-document work: `context: { disableRevalidate: true }`. */
const isRevalidateDisabled = (req: PayloadRequest, context?: Record<string, unknown>) =>
  Boolean(context?.disableRevalidate ?? req.context?.disableRevalidate)

/** The changed document's id; undefined (a change of unknown extent) if the hook got none. */
const documentIdOf = (doc: unknown): number | string | undefined => {
  const id = (doc as { id?: unknown } | undefined)?.id
  return typeof id === 'number' || typeof id === 'string' ? id : undefined
}

/**
 * Invalidates in two steps. Now, on this replica: the next read after this request's response
 * rebuilds, so an editor always sees their own change. Then, through NOTIFY, on every replica
 * once the transaction commits: a rebuild that ran in between (and so read pre-commit data) is
 * discarded, and the other replicas learn of the change.
 */
export const announceChange = async (
  context: InvalidationContext,
  req: PayloadRequest,
  change: CacheChange,
) => {
  context.invalidateLocally(req.payload, change)
  const registry = getCacheRegistry(req.payload)
  registry.sequence += 1
  const origin = { sender: registry.sender, sequence: registry.sequence }
  await notifyInTransaction({
    req,
    channel: context.channel,
    message: toChangeMessage(change, origin),
  })
}

export const getInvalidateAfterChangeHook =
  (context: InvalidationContext): CollectionAfterChangeHook =>
  async ({ collection, doc, previousDoc, operation, req, context: hookContext }) => {
    if (isRevalidateDisabled(req, hookContext)) return doc
    // What changed decides which cached lists may show the document differently now.
    const fields = operation === 'update' ? changedFields(previousDoc, doc) : undefined
    await announceChange(context, req, {
      collection: collection.slug,
      id: documentIdOf(doc),
      ...(fields ? { fields } : {}),
    })
    return doc
  }

export const getInvalidateAfterDeleteHook =
  (context: InvalidationContext): CollectionAfterDeleteHook =>
  async ({ collection, doc, req, context: hookContext }) => {
    if (!isRevalidateDisabled(req, hookContext))
      await announceChange(context, req, { collection: collection.slug, id: documentIdOf(doc) })
    return doc
  }

export const getInvalidateGlobalAfterChangeHook =
  (context: InvalidationContext): GlobalAfterChangeHook =>
  async ({ global, doc, req, context: hookContext }) => {
    if (!isRevalidateDisabled(req, hookContext))
      await announceChange(context, req, { global: global.slug })
    return doc
  }
