import type { Payload } from 'payload'

import type { CacheChange, IncrementalBuild } from '../../plugins/responseCache'
import { collectionSlugs, globalSlugs } from '../../collections/slugs'
import {
  compareItems,
  groupItemsByCategory,
  readCatalogRows,
  readCategories,
  readItems,
  readMedia,
  readSite,
  referencedMediaIds,
  toCatalogCategory,
  toCatalogSite,
  type CatalogRows,
  type CategoryRow,
  type ItemRow,
  type MediaById,
  type SiteRow,
} from './buildCatalog'

/** What a set of changes asks an incremental build to re-read. */
type CatalogChangePlan = {
  isSiteChanged: boolean
  /** Categories are few: any category change re-reads them all, which also gives their order. */
  areCategoriesChanged: boolean
  itemIds: Set<number>
  mediaIds: Set<number>
}

const toNumericId = (id: number | string | undefined): number | undefined => {
  const value = typeof id === 'string' && /^\d+$/.test(id) ? Number(id) : id
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined
}

/**
 * What to re-read for these changes, or undefined when one of them cannot be attributed (an item
 * or media change without a document id, a slug the catalog does not know): build it all then.
 */
export const planCatalogChanges = (
  changes: readonly CacheChange[],
): CatalogChangePlan | undefined => {
  const plan: CatalogChangePlan = {
    isSiteChanged: false,
    areCategoriesChanged: false,
    itemIds: new Set(),
    mediaIds: new Set(),
  }
  for (const change of changes) {
    if (change.global !== undefined) {
      if (change.global !== globalSlugs.siteSettings) return undefined
      plan.isSiteChanged = true
      continue
    }
    if (change.collection === collectionSlugs.categories) {
      plan.areCategoriesChanged = true
      continue
    }
    const id = toNumericId(change.id)
    if (id === undefined) return undefined
    if (change.collection === collectionSlugs.items) plan.itemIds.add(id)
    else if (change.collection === collectionSlugs.media) plan.mediaIds.add(id)
    else return undefined
  }
  return plan
}

const openSite = Buffer.from('{"site":')
const openCategories = Buffer.from(',"categories":[')
const comma = Buffer.from(',')
const close = Buffer.from(']}')

/**
 * The document's bytes as fragments: exactly `JSON.stringify(catalog)`, cut at the site and at
 * each category. The separators are the same objects every time, so their hashes are reused.
 */
export const assembleCatalogFragments = (site: Buffer, categories: readonly Buffer[]): Buffer[] => [
  openSite,
  site,
  openCategories,
  ...categories.flatMap((category, index) => (index === 0 ? [category] : [comma, category])),
  close,
]

/** What the previous build read, and the fragments it serialised from it. */
type CatalogState = {
  site: SiteRow
  categories: CategoryRow[]
  /** Visible items by id, whether or not their category is visible. */
  items: Map<number, ItemRow>
  /** Sorted, by category id. */
  itemsByCategory: Map<number, ItemRow[]>
  /** At least every media id that the rows above reference. */
  media: MediaById
  siteFragment: Buffer
  /** For the visible categories. */
  categoryFragments: Map<number, Buffer>
}

const serialise = (value: unknown) => Buffer.from(JSON.stringify(value))

const serialiseCategory = (state: CatalogState, category: CategoryRow) =>
  serialise(toCatalogCategory(category, state.itemsByCategory.get(category.id) ?? [], state.media))

const toState = ({ site, categories, items, media }: CatalogRows): CatalogState => {
  const state: CatalogState = {
    site,
    categories,
    items: new Map(items.map((item) => [item.id, item])),
    itemsByCategory: groupItemsByCategory(items),
    media,
    siteFragment: serialise(toCatalogSite(site, media)),
    categoryFragments: new Map(),
  }
  for (const category of categories)
    state.categoryFragments.set(category.id, serialiseCategory(state, category))
  return state
}

const toFragments = (state: CatalogState): Buffer[] =>
  assembleCatalogFragments(
    state.siteFragment,
    state.categories.map((category) => state.categoryFragments.get(category.id) as Buffer),
  )

const isSameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b)

/** Puts the re-read items in place (gone ones removed) and returns the categories they touch. */
const replaceItems = (
  state: CatalogState,
  itemIds: ReadonlySet<number>,
  reread: readonly ItemRow[],
): Set<number> => {
  const rereadById = new Map(reread.map((item) => [item.id, item]))
  const touched = new Set<number>()
  for (const id of itemIds) {
    const before = state.items.get(id)
    const after = rereadById.get(id)
    // An item may have moved: it leaves its old category's list and joins the new one's.
    if (before?.categoryId !== undefined) {
      const list = state.itemsByCategory.get(before.categoryId) ?? []
      state.itemsByCategory.set(
        before.categoryId,
        list.filter((item) => item.id !== id),
      )
      touched.add(before.categoryId)
    }
    if (after) state.items.set(id, after)
    else state.items.delete(id)
    if (after?.categoryId !== undefined) {
      state.itemsByCategory.set(after.categoryId, [
        ...(state.itemsByCategory.get(after.categoryId) ?? []),
        after,
      ])
      touched.add(after.categoryId)
    }
  }
  for (const categoryId of touched) state.itemsByCategory.get(categoryId)?.sort(compareItems)
  return touched
}

/** Whether an item shows one of these media, as an image or in its description. */
const showsAnyMedia = (item: ItemRow, mediaIds: ReadonlySet<number>): boolean =>
  item.imageIds.some((id) => mediaIds.has(id)) ||
  item.descriptionMediaIds.some((id) => mediaIds.has(id))

/** Categories (and whether the site header) show any of these media. */
const findMediaUsers = (state: CatalogState, mediaIds: ReadonlySet<number>) => {
  const categoryIds = new Set<number>()
  // Most changes touch no image the document already showed: no need to walk every item.
  if (mediaIds.size === 0) return { categoryIds, isSiteUser: false }
  for (const category of state.categories)
    if (category.imageId !== undefined && mediaIds.has(category.imageId))
      categoryIds.add(category.id)
  for (const item of state.items.values())
    if (item.categoryId !== undefined && showsAnyMedia(item, mediaIds))
      categoryIds.add(item.categoryId)
  const isSiteUser = [state.site.logoId, state.site.bannerId].some(
    (id) => id !== undefined && mediaIds.has(id),
  )
  return { categoryIds, isSiteUser }
}

/**
 * Re-reads what the plan names and re-serialises only the fragments whose content may differ:
 * the header, categories whose own row changed, categories an item left or joined, and
 * categories (or the header) showing a changed image. Every other fragment is kept as is.
 */
const applyPlan = async (
  payload: Payload,
  state: CatalogState,
  plan: CatalogChangePlan,
): Promise<CatalogState> => {
  const [site, categories, reread] = await Promise.all([
    plan.isSiteChanged ? readSite(payload) : state.site,
    plan.areCategoriesChanged ? readCategories(payload) : state.categories,
    readItems(payload, [...plan.itemIds]),
  ])
  // Media to read: changed ones the document may show, and ones it now shows for the first time.
  const mediaToRead = new Set([
    ...[...plan.mediaIds].filter((id) => state.media.has(id)),
    ...referencedMediaIds({ site, categories, items: reread }).filter((id) => !state.media.has(id)),
  ])
  const freshMedia = await readMedia(payload, mediaToRead)
  // Only images the document already showed can make unchanged rows render differently; a newly
  // shown one is there because its item, category or the site changed, which is re-serialised.
  const changedMedia = new Set(
    [...freshMedia]
      .filter(([id, media]) => state.media.has(id) && !isSameJson(state.media.get(id), media))
      .map(([id]) => id),
  )
  for (const [id, media] of freshMedia) state.media.set(id, media)

  const previousCategories = new Map(state.categories.map((category) => [category.id, category]))
  state.site = site
  state.categories = categories
  const dirty = replaceItems(state, plan.itemIds, reread)
  const mediaUsers = findMediaUsers(state, changedMedia)
  for (const id of mediaUsers.categoryIds) dirty.add(id)
  for (const category of categories)
    if (!isSameJson(previousCategories.get(category.id), category)) dirty.add(category.id)

  if (plan.isSiteChanged || mediaUsers.isSiteUser)
    state.siteFragment = serialise(toCatalogSite(site, state.media))
  const visible = new Set(categories.map((category) => category.id))
  for (const id of state.categoryFragments.keys())
    if (!visible.has(id)) state.categoryFragments.delete(id)
  for (const category of categories)
    if (dirty.has(category.id) || !state.categoryFragments.has(category.id))
      state.categoryFragments.set(category.id, serialiseCategory(state, category))
  return state
}

/**
 * The catalog for the ops plugin's cache, rebuilt incrementally: the first build (and any build
 * the cache asks to start from scratch) reads everything; later ones re-read only what changed
 * and reuse every other fragment byte for byte. The bytes always equal
 * `JSON.stringify(await buildCatalog({ payload }))` for the same data.
 */
export const createIncrementalCatalogBuild = (): IncrementalBuild => {
  let state: CatalogState | undefined
  return async ({ payload, changes }) => {
    const previous = state
    // Patched in place: if this build fails, nothing half-patched may serve as the next base.
    state = undefined
    const plan = changes && previous ? planCatalogChanges(changes) : undefined
    const next =
      plan && previous
        ? await applyPlan(payload, previous, plan)
        : toState(await readCatalogRows(payload))
    state = next
    return toFragments(next)
  }
}
