import type { Endpoint, PayloadHandler } from 'payload'

import { publicApiError } from '../config/errors/publicApiError'
import { isValidSlug } from '../lib/slugify'
import { catalogCategoriesPath, catalogCategoryPath } from './catalogPath'
import { readCatalogCategory, readCatalogCategoryIndex } from './categoryCatalog'

const categoryNotFound = (slug: string) =>
  publicApiError({
    name: 'NotFound',
    // A slug no category could have is not quoted back: it may be anything a client sent.
    message: isValidSlug(slug)
      ? `No published category has the slug "${slug}".`
      : 'No published category has that slug: slugs are lower-case letters, digits and dashes.',
    status: 404,
  })

const serveCategoryIndex: PayloadHandler = async (req) =>
  Response.json(await readCatalogCategoryIndex(req))

const serveCategory: PayloadHandler = async (req) => {
  const slug = String(req.routeParams?.slug ?? '')
  // Checked first: a value no slug can take (a NUL byte, say) must not reach the query.
  const category = isValidSlug(slug) ? await readCatalogCategory(req, slug) : undefined
  if (!category) throw categoryNotFound(slug)
  return Response.json(category)
}

/**
 * The catalog one category at a time, for readers that need less than the whole document:
 * `GET /api/catalog/categories` (the index) and `GET /api/catalog/categories/<slug>`. Served, and
 * kept, by the response cache's read cache (its `reads.paths`, src/catalog/catalogCacheOptions.ts).
 */
export const catalogCategoryEndpoints: Endpoint[] = [
  { path: catalogCategoriesPath, method: 'get', handler: serveCategoryIndex },
  { path: catalogCategoryPath, method: 'get', handler: serveCategory },
]
