import type { CollectionBeforeDeleteHook } from 'payload'

import { publicApiError } from '../../../src/config/errors/publicApiError'
import { collectionSlugs } from '../../slugs'

/**
 * Refuses to delete a category that items still belong to, naming a few, so an editor moves or
 * deletes them first. Without this the database would set their required `category` to null — a
 * change to every such item that no hook, audit entry or cache invalidation would ever see.
 */
export const preventDeletingCategoryWithItems: CollectionBeforeDeleteHook = async ({ id, req }) => {
  const items = await req.payload.find({
    collection: collectionSlugs.items,
    where: { category: { equals: id } },
    limit: 5,
    depth: 0,
    select: { name: true },
    overrideAccess: true,
    req,
  })
  if (items.totalDocs === 0) return
  const named = items.docs.map((item) => `"${item.name}" (id ${item.id})`).join(', ')
  const more =
    items.totalDocs > items.docs.length ? ` and ${items.totalDocs - items.docs.length} more` : ''
  throw publicApiError({
    name: 'CategoryInUseError',
    message: `This category still has items: ${named}${more}. Move them to another category or delete them first.`,
    status: 409,
  })
}
