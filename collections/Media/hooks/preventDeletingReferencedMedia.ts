import type { CollectionBeforeDeleteHook, Where } from 'payload'

import { publicApiError } from '../../../src/config/errors/publicApiError'
import { collectionSlugs, globalSlugs } from '../../slugs'

/**
 * Refuses to delete an image that items, categories or the site settings still show, naming them,
 * so an editor never breaks a published page by tidying the media library. (The alternative,
 * silently clearing the references, would change published content as a side effect.)
 * Pending drafts are not checked: a draft that points at a deleted image simply loses it.
 */
export const preventDeletingReferencedMedia: CollectionBeforeDeleteHook = async ({ id, req }) => {
  const { payload } = req
  const findReferencing = (collection: 'items' | 'categories', where: Where) =>
    payload.find({
      collection,
      where,
      limit: 5,
      depth: 0,
      pagination: false,
      select: { name: true },
      overrideAccess: true,
      req,
    })
  const [items, categories, settings] = await Promise.all([
    findReferencing(collectionSlugs.items, { images: { in: [id] } }),
    findReferencing(collectionSlugs.categories, { image: { equals: id } }),
    payload.findGlobal({ slug: globalSlugs.siteSettings, depth: 0, overrideAccess: true, req }),
  ])
  const users = [
    ...items.docs.map((item) => `item "${item.name}" (id ${item.id})`),
    ...categories.docs.map((category) => `category "${category.name}" (id ${category.id})`),
    ...(['logo', 'banner'] as const)
      .filter((field) => String(settings[field] ?? '') === String(id))
      .map((field) => `the site ${field}`),
  ]
  if (users.length > 0) {
    throw publicApiError({
      name: 'MediaInUseError',
      message: `This image is still used by ${users.join(', ')}. Remove it there first, then delete it.`,
      status: 409,
    })
  }
}
