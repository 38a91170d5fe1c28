import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { collectionSlugs, globalSlugs } from '../../collections/slugs'
import type { Category, Media } from '../../payload-types'
import { plainTextToRichText } from '../../src/lib/richText'
import { makeJpeg } from '../helpers/images'
import { closePayload, initPayload, uniqueName } from '../helpers/payload'

let payload: Payload
let image: Media

const createCategory = (data: Partial<Category> = {}) =>
  payload.create({
    collection: collectionSlugs.categories,
    data: { name: uniqueName('Category'), _status: 'published', ...data },
  })

beforeAll(async () => {
  payload = await initPayload()
  const data = await makeJpeg()
  image = await payload.create({
    collection: collectionSlugs.media,
    data: { alt: 'A test photo' },
    file: { data, mimetype: 'image/jpeg', name: 'test photo.jpg', size: data.length },
  })
})

afterAll(async () => {
  await closePayload(payload)
})

describe('media', () => {
  it('should store the original and generate thumbnail, card and hero sizes', () => {
    expect(image.mimeType).toBe('image/jpeg')
    expect(image.width).toBe(1800)
    expect(image.sizes?.thumbnail?.width).toBe(320)
    expect(image.sizes?.card?.width).toBe(768)
    expect(image.sizes?.hero?.width).toBe(1600)
    expect(image.filename).toMatch(/^test-photo-[0-9a-f]{10}\.jpg$/)
    expect(image.url).toBe(`${process.env.R2_PUBLIC_BASE}/media/${image.filename}`)
  })

  it('should require alt text', async () => {
    const data = await makeJpeg(100, 100)
    await expect(
      payload.create({
        collection: collectionSlugs.media,
        data: {} as never,
        file: { data, mimetype: 'image/jpeg', name: 'no-alt.jpg', size: data.length },
      }),
    ).rejects.toMatchObject({ status: 400 })
  })
})

describe('categories', () => {
  it('should generate a URL-safe slug from the name when none is given', async () => {
    const category = await createCategory({ name: 'Crème Brûlée & Co' })
    expect(category.slug).toMatch(/^creme-brulee-co$/)
  })

  it('should normalise a slug typed by an editor', async () => {
    const category = await createCategory({ slug: `  My Own Slug ${Date.now()} ` })
    expect(category.slug).toMatch(/^my-own-slug-\d+$/)
  })

  it('should refuse a duplicate slug with a field error on slug', async () => {
    const first = await createCategory()
    await expect(createCategory({ slug: first.slug })).rejects.toMatchObject({
      status: 400,
      data: { errors: [expect.objectContaining({ path: 'slug' })] },
    })
  })

  it('should read, update and delete through the Local API', async () => {
    const category = await createCategory({ description: 'before', sortOrder: 5, image: image.id })
    const updated = await payload.update({
      collection: collectionSlugs.categories,
      id: category.id,
      data: { description: 'after' },
    })
    expect(updated.description).toBe('after')
    const read = await payload.findByID({
      collection: collectionSlugs.categories,
      id: category.id,
      depth: 1,
    })
    expect((read.image as Media).alt).toBe('A test photo')
    await payload.delete({ collection: collectionSlugs.categories, id: category.id })
    const { totalDocs } = await payload.count({
      collection: collectionSlugs.categories,
      where: { id: { equals: category.id } },
    })
    expect(totalDocs).toBe(0)
  })
})

describe('items', () => {
  it('should store every field and populate relationships by depth', async () => {
    const category = await createCategory()
    const item = await payload.create({
      collection: collectionSlugs.items,
      data: {
        name: uniqueName('Item'),
        description: plainTextToRichText('Line one\nLine two'),
        price: 1999,
        category: category.id,
        images: [image.id],
        tags: ['new', 'sale'],
        sortOrder: 3,
        _status: 'published',
      },
    })
    expect(item.isAvailable).toBe(true)
    expect(item.tags).toEqual(['new', 'sale'])

    const shallow = await payload.findByID({
      collection: collectionSlugs.items,
      id: item.id,
      depth: 0,
    })
    expect(shallow.category).toBe(category.id)
    expect(shallow.images).toEqual([image.id])

    const deep = await payload.findByID({
      collection: collectionSlugs.items,
      id: item.id,
      depth: 2,
    })
    expect(deep.category).toMatchObject({ id: category.id, name: category.name })
    expect(deep.images?.[0]).toMatchObject({ id: image.id, sizes: { card: { width: 768 } } })

    const withItems = await payload.findByID({
      collection: collectionSlugs.categories,
      id: category.id,
      depth: 1,
    })
    expect(withItems.items?.docs?.map((doc) => (typeof doc === 'object' ? doc.id : doc))).toEqual([
      item.id,
    ])
  })

  it.each([
    ['negative', -1],
    ['fractional', 10.5],
  ])('should refuse a %s price and store nothing', async (_label, price) => {
    const category = await createCategory()
    const name = uniqueName('Bad price')
    await expect(
      payload.create({
        collection: collectionSlugs.items,
        data: { name, price, category: category.id, _status: 'published' },
      }),
    ).rejects.toMatchObject({
      status: 400,
      data: { errors: [expect.objectContaining({ path: 'price' })] },
    })
    const { totalDocs } = await payload.count({
      collection: collectionSlugs.items,
      where: { name: { equals: name } },
    })
    expect(totalDocs).toBe(0)
  })

  it('should require a category', async () => {
    await expect(
      payload.create({
        collection: collectionSlugs.items,
        data: { name: uniqueName('Orphan'), price: 100, _status: 'published' } as never,
      }),
    ).rejects.toMatchObject({ status: 400 })
  })
})

describe('site settings', () => {
  it('should default the currency to USD and accept another ISO 4217 code', async () => {
    const initial = await payload.findGlobal({ slug: globalSlugs.siteSettings })
    expect(initial.currency).toBe('USD')
    const updated = await payload.updateGlobal({
      slug: globalSlugs.siteSettings,
      data: { siteName: 'Test shop', currency: 'EUR', logo: image.id, banner: image.id },
    })
    expect(updated).toMatchObject({ siteName: 'Test shop', currency: 'EUR' })
    const read = await payload.findGlobal({ slug: globalSlugs.siteSettings, depth: 1 })
    expect((read.logo as Media).id).toBe(image.id)
    await payload.updateGlobal({ slug: globalSlugs.siteSettings, data: { currency: 'USD' } })
  })

  it('should refuse a currency that is not an ISO 4217 code', async () => {
    await expect(
      payload.updateGlobal({ slug: globalSlugs.siteSettings, data: { currency: 'usd' } }),
    ).rejects.toMatchObject({ status: 400 })
    const read = await payload.findGlobal({ slug: globalSlugs.siteSettings })
    expect(read.currency).toBe('USD')
  })
})
