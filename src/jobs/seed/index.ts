import type { Payload } from 'payload'

import { collectionSlugs, globalSlugs } from '../../../collections/slugs'
import { plainTextToRichText } from '../../lib/richText'
import { slugify } from '../../lib/slugify'
import { createPlaceholderImage } from './placeholderImage'
import { sampleCategories, type SampleCategory, type SampleItem } from './sampleCatalog'

/**
 * Seeding is a bulk job: hooks that react to editorial changes (cache, audit) can skip it.
 *
 * Pass a copy per call (`{ ...seedContext }`): Payload hands this object to hooks as `req.context`
 * and the storage plugin sets flags on it (`skipCloudStorage` while it saves upload metadata). A
 * shared object kept that flag for the next create, whose images then never reached the bucket.
 */
export const seedContext = { disableRevalidate: true, disableAudit: true, isSeed: true }

export type SeedSummary = { created: number; existing: number }

/** What every seeding function shares: the instance and the running counts. */
type SeedRun = { payload: Payload; summary: SeedSummary }

type SampleImage = {
  alt: string
  filename: string
  colors: [string, string]
  width: number
  height: number
  variant: number
}

const findIdBy = async (
  payload: Payload,
  collection: 'media' | 'categories' | 'items',
  field: string,
  value: string,
): Promise<number | string | undefined> => {
  const { docs } = await payload.find({
    collection,
    where: { [field]: { equals: value } },
    limit: 1,
    depth: 0,
    draft: true,
    overrideAccess: true,
    pagination: false,
    select: {},
  })
  return docs[0]?.id
}

/** The media document with this alt text, created with a placeholder image when missing. */
const upsertMedia = async (
  { payload, summary }: SeedRun,
  { alt, filename, ...image }: SampleImage,
): Promise<number | string> => {
  const existingId = await findIdBy(payload, collectionSlugs.media, 'alt', alt)
  if (existingId !== undefined) {
    summary.existing += 1
    return existingId
  }
  const data = await createPlaceholderImage(image)
  const created = await payload.create({
    collection: collectionSlugs.media,
    data: { alt },
    file: { data, mimetype: 'image/jpeg', name: filename, size: data.length },
    overrideAccess: true,
    context: { ...seedContext },
  })
  summary.created += 1
  return created.id
}

/** The category's id: the existing one, or a new published category with its image. */
const upsertCategory = async (
  run: SeedRun,
  { category, categoryIndex }: { category: SampleCategory; categoryIndex: number },
): Promise<number | string> => {
  const { payload, summary } = run
  const categorySlug = slugify(category.name)
  const existingId = await findIdBy(payload, collectionSlugs.categories, 'slug', categorySlug)
  if (existingId !== undefined) {
    summary.existing += 1
    return existingId
  }
  const imageId = await upsertMedia(run, {
    alt: `Sample image for the ${category.name} category`,
    filename: `${categorySlug}.jpg`,
    colors: category.colors,
    width: 1200,
    height: 800,
    variant: categoryIndex,
  })
  const created = await payload.create({
    collection: collectionSlugs.categories,
    data: {
      name: category.name,
      slug: categorySlug,
      description: category.description,
      image: imageId as number,
      sortOrder: (categoryIndex + 1) * 10,
      _status: 'published',
    },
    overrideAccess: true,
    context: { ...seedContext },
  })
  summary.created += 1
  return created.id
}

type SeedItemArgs = {
  item: SampleItem
  itemIndex: number
  category: SampleCategory
  categoryId: number | string
}

/** A new published item with its photo, unless one with its slug exists. */
const seedItem = async (run: SeedRun, { item, itemIndex, category, categoryId }: SeedItemArgs) => {
  const { payload, summary } = run
  const itemSlug = slugify(item.name)
  if ((await findIdBy(payload, collectionSlugs.items, 'slug', itemSlug)) !== undefined) {
    summary.existing += 1
    return
  }
  const imageId = await upsertMedia(run, {
    alt: `Sample photo of ${item.name}`,
    filename: `${itemSlug}.jpg`,
    colors: [category.colors[1], category.colors[0]],
    width: 1000,
    height: 750,
    variant: itemIndex,
  })
  await payload.create({
    collection: collectionSlugs.items,
    data: {
      name: item.name,
      slug: itemSlug,
      description: plainTextToRichText(item.summary),
      price: item.price,
      category: categoryId as number,
      images: [imageId as number],
      isAvailable: item.isAvailable ?? true,
      tags: item.tags,
      sortOrder: (itemIndex + 1) * 10,
      _status: 'published',
    },
    overrideAccess: true,
    context: { ...seedContext },
  })
  summary.created += 1
}

/** A logo and a banner in the site settings, where either is missing. */
const seedSiteSettings = async (run: SeedRun) => {
  const { payload } = run
  const settings = await payload.findGlobal({ slug: globalSlugs.siteSettings, depth: 0 })
  if (settings.logo && settings.banner) return
  const logo =
    settings.logo ??
    (await upsertMedia(run, {
      alt: 'Sample Catalog logo',
      filename: 'logo.jpg',
      colors: ['#0f172a', '#38bdf8'],
      width: 400,
      height: 400,
      variant: 1,
    }))
  const banner =
    settings.banner ??
    (await upsertMedia(run, {
      alt: 'Sample Catalog banner',
      filename: 'banner.jpg',
      colors: ['#0ea5e9', '#f472b6'],
      width: 1800,
      height: 600,
      variant: 2,
    }))
  await payload.updateGlobal({
    slug: globalSlugs.siteSettings,
    data: { logo, banner } as never,
    overrideAccess: true,
    context: { ...seedContext },
  })
}

/**
 * Adds the sample catalog: categories, items, images, logo and banner. Idempotent: documents are
 * matched by slug (media by alt text) and existing ones are left exactly as editors left them.
 */
export const seedCatalog = async ({ payload }: { payload: Payload }): Promise<SeedSummary> => {
  const run: SeedRun = { payload, summary: { created: 0, existing: 0 } }
  for (const [categoryIndex, category] of sampleCategories.entries()) {
    const categoryId = await upsertCategory(run, { category, categoryIndex })
    for (const [itemIndex, item] of category.items.entries()) {
      await seedItem(run, { item, itemIndex, category, categoryId })
    }
  }
  await seedSiteSettings(run)
  return run.summary
}

/** True when nothing editorial exists yet: the one moment a boot-time seed is welcome. */
export const isCatalogEmpty = async (payload: Payload): Promise<boolean> => {
  for (const collection of [
    collectionSlugs.categories,
    collectionSlugs.items,
    collectionSlugs.media,
  ]) {
    const { totalDocs } = await payload.count({ collection, overrideAccess: true })
    if (totalDocs > 0) return false
  }
  return true
}
