import type { Payload } from 'payload'

import { collectionSlugs } from '../../collections/slugs'
import type { User } from '../../payload-types'
import { getCachedDocument } from '../../plugins/responseCache'
import {
  catalogCategorySort,
  groupItemsByCategory,
  readMedia,
  readSite,
  referencedMediaIds,
  toCatalogCategory,
  toCatalogSite,
  toCategoryRow,
  toItemRow,
  type Catalog,
} from '../catalog/buildCatalog'
import { catalogPath } from '../catalog/catalogCacheOptions'
import { hasCatalogEditingRole } from '../config/access'

/**
 * The catalog as `user` sees it with drafts: the newest version of every category and item
 * (`draft: true`), read with the user's own access (`overrideAccess: false`), never from or into
 * the response cache. Few documents are edited at once and only editors ask, so this reads through
 * the Local API rather than the incremental build the public catalog needs for its size.
 */
export const readDraftCatalog = async ({
  payload,
  user,
}: {
  payload: Payload
  user: User
}): Promise<Catalog> => {
  const access = { draft: true, overrideAccess: false, user, depth: 0, pagination: false } as const
  const [site, categories, items] = await Promise.all([
    readSite(payload),
    payload.find({ collection: collectionSlugs.categories, sort: catalogCategorySort, ...access }),
    payload.find({ collection: collectionSlugs.items, ...access }),
  ])
  const categoryRows = categories.docs.map(toCategoryRow)
  const itemRows = items.docs.map((item) => toItemRow(item, item.tags ?? []))
  const media = await readMedia(
    payload,
    referencedMediaIds({ site, categories: categoryRows, items: itemRows }),
  )
  const itemsByCategory = groupItemsByCategory(itemRows)
  return {
    site: toCatalogSite(site, media),
    categories: categoryRows.map((category) =>
      toCatalogCategory(category, itemsByCategory.get(category.id) ?? [], media),
    ),
  }
}

export type PageCatalog = {
  /** Null while the response cache is still starting. */
  catalog: Catalog | null
  /** True when `catalog` holds drafts: the page then shows the preview banner. */
  isPreview: boolean
}

/**
 * What the public page shows. Drafts need both Next's draft mode and, on this very request, a
 * Payload session of a catalog editor: the draft-mode cookie alone (a shared link, a signed-out
 * browser, a demoted editor) gets the published catalog from the cache, as everybody else does.
 */
export const readCatalogForPage = async ({
  payload,
  headers,
  isDraftMode,
}: {
  payload: Payload
  headers: Headers
  isDraftMode: boolean
}): Promise<PageCatalog> => {
  if (isDraftMode) {
    const { user } = await payload.auth({ headers })
    if (user && hasCatalogEditingRole(user) && user.collection === collectionSlugs.users) {
      return { catalog: await readDraftCatalog({ payload, user }), isPreview: true }
    }
  }
  const catalog = await getCachedDocument<Catalog>({ payload, path: catalogPath })
  return { catalog: catalog ?? null, isPreview: false }
}
