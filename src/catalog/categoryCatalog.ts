import type { CollectionSlug, PayloadRequest, Where } from 'payload'

import { collectionSlugs } from '../../collections/slugs'
import {
  catalogCategorySort,
  compareItems,
  getAnonymousReadWhere,
  readMedia,
  readSite,
  referencedMediaIds,
  toCatalogCategory,
  toCatalogSite,
  toCategoryRow,
  toItemRow,
  type Catalog,
  type CatalogCategory,
} from './buildCatalog'
import { catalogCategoriesPath } from './catalogPath'

/** One line of the category index: enough to list a category and fetch its document. */
export type CatalogCategorySummary = Pick<CatalogCategory, 'id' | 'name' | 'slug'> & {
  /** Published items in the category: the length of its document's `items`. */
  itemCount: number
  /** Path of the category's document, `/api/catalog/categories/<slug>`. */
  href: string | null
}

/** The site block of the catalog and its published categories, in catalog order. */
export type CatalogCategoryIndex = {
  site: Catalog['site']
  categories: CatalogCategorySummary[]
}

/**
 * `where` within what an anonymous visitor may read, whoever asks: these documents are public, as
 * the whole catalog is, so a signed-in editor does not see drafts in them either. False: nothing.
 */
const publicWhere = async (
  req: PayloadRequest,
  collection: CollectionSlug,
  where: Where,
): Promise<Where | false> => {
  const anonymousWhere = await getAnonymousReadWhere(req.payload, collection)
  return anonymousWhere === false ? false : { and: [anonymousWhere, where] }
}

/*
 * Every read below goes through the Local API with the request's `req` and access rules on, so
 * the response cache records what each document is made of (plugins/responseCache, reads.paths).
 * The reads run one after another: an anonymous request's reads share the read transaction the
 * first one opens (plugins/publicQueries), which that one commits when it is done.
 */

const countPublishedItems = async (req: PayloadRequest, categoryId: number): Promise<number> => {
  const where = await publicWhere(req, collectionSlugs.items, { category: { equals: categoryId } })
  if (!where) return 0
  const { totalDocs } = await req.payload.count({
    collection: collectionSlugs.items,
    where,
    overrideAccess: false,
    req,
  })
  return totalDocs
}

const documentHref = (req: PayloadRequest, slug: string | null | undefined): string | null =>
  slug
    ? `${req.payload.config.routes.api}${catalogCategoriesPath}/${encodeURIComponent(slug)}`
    : null

/** The index of the per-category documents, for the reader of `req`. */
export const readCatalogCategoryIndex = async (
  req: PayloadRequest,
): Promise<CatalogCategoryIndex> => {
  const { payload } = req
  const site = await readSite(payload, req)
  const where = await publicWhere(req, collectionSlugs.categories, {})
  const categories = where
    ? await payload.find({
        collection: collectionSlugs.categories,
        where,
        sort: catalogCategorySort,
        select: { name: true, slug: true },
        depth: 0,
        pagination: false,
        overrideAccess: false,
        req,
      })
    : { docs: [] }
  const summaries: CatalogCategorySummary[] = []
  for (const category of categories.docs) {
    summaries.push({
      id: category.id,
      name: category.name,
      slug: category.slug,
      itemCount: await countPublishedItems(req, category.id),
      href: documentHref(req, category.slug),
    })
  }
  const media = await readMedia(payload, referencedMediaIds({ site }), req)
  return { site: toCatalogSite(site, media), categories: summaries }
}

/**
 * The published category with this slug exactly as the catalog document shows it (its items in
 * the catalog's order, their images), or undefined when there is none.
 */
export const readCatalogCategory = async (
  req: PayloadRequest,
  slug: string,
): Promise<CatalogCategory | undefined> => {
  const { payload } = req
  const categoryWhere = await publicWhere(req, collectionSlugs.categories, {
    slug: { equals: slug },
  })
  if (!categoryWhere) return undefined
  const {
    docs: [category],
  } = await payload.find({
    collection: collectionSlugs.categories,
    where: categoryWhere,
    // Its items are read below, in full: the join's first page would be read for nothing.
    joins: false,
    depth: 0,
    limit: 1,
    overrideAccess: false,
    req,
  })
  if (!category) return undefined
  const itemsWhere = await publicWhere(req, collectionSlugs.items, {
    category: { equals: category.id },
  })
  const items = itemsWhere
    ? await payload.find({
        collection: collectionSlugs.items,
        where: itemsWhere,
        depth: 0,
        pagination: false,
        overrideAccess: false,
        req,
      })
    : { docs: [] }
  const categoryRow = toCategoryRow(category)
  // Sorted in code as the catalog sorts them, whatever the database's collation.
  const itemRows = items.docs.map((item) => toItemRow(item, item.tags ?? [])).sort(compareItems)
  const media = await readMedia(
    payload,
    referencedMediaIds({ categories: [categoryRow], items: itemRows }),
    req,
  )
  return toCatalogCategory(categoryRow, itemRows, media)
}
