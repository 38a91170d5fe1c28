import { describe, expect, it } from 'vitest'

import { collectionSlugs } from '../../collections/slugs'
import { waitForChangesDelivered } from '../../plugins/responseCache'
import type { Category, Item, Media } from '../../payload-types'
import type { Catalog, CatalogCategory } from '../../src/catalog/buildCatalog'
import type { CatalogCategoryIndex } from '../../src/catalog/categoryCatalog'
import { plainTextToRichText } from '../../src/lib/richText'
import { setupApiServer } from '../helpers/apiServer'
import { makeJpeg } from '../helpers/images'
import { uniqueName } from '../helpers/payload'
import { decodeBody, type RawResponse } from '../helpers/rawHttp'
import { setupEditorSession } from '../helpers/session'

/**
 * The catalog one category at a time, through the app server in front of the real route
 * handlers: the index and each category's document say what the whole catalog says, and the
 * response cache keeps them until a change that alters them.
 */
const session = setupEditorSession()
const server = setupApiServer()

const indexPath = '/api/catalog/categories'
const documentPath = (category: Pick<Category, 'slug'>) => `${indexPath}/${category.slug}`

const read = (path: string, headers: Record<string, string> = {}) =>
  server.read(path, { 'Accept-Encoding': 'br, gzip', ...headers })

const jsonOf = <T>(response: RawResponse): T => JSON.parse(decodeBody(response).toString('utf8'))

const readJson = async <T>(path: string): Promise<T> => {
  const response = await read(path)
  expect(response.status, path).toBe(200)
  return jsonOf<T>(response)
}

/** A change, once every replica's listener has heard of it. */
const settled = async <T>(change: Promise<T>): Promise<T> => {
  const result = await change
  expect(await waitForChangesDelivered(session.payload)).toBe(true)
  return result
}

const createCategory = (data: Partial<Category> = {}): Promise<Category> =>
  settled(
    session.payload.create({
      collection: collectionSlugs.categories,
      data: { name: uniqueName('Per-category'), sortOrder: 5, _status: 'published', ...data },
    }),
  )

const createItem = (category: Category, data: Partial<Item> = {}): Promise<Item> =>
  settled(
    session.payload.create({
      collection: collectionSlugs.items,
      data: {
        name: uniqueName('Per-category item'),
        price: 100,
        category: category.id,
        _status: 'published',
        ...data,
      },
      draft: data._status === 'draft',
    }),
  ) as Promise<Item>

const createImage = async (alt: string): Promise<Media> =>
  settled(
    session.payload.create({
      collection: collectionSlugs.media,
      data: { alt },
      file: { data: await makeJpeg(640, 480), mimetype: 'image/jpeg', name: 'shelf.jpg', size: 0 },
    }),
  )

const setStatus = (collection: 'categories' | 'items', id: number, status: 'draft' | 'published') =>
  settled(session.payload.update({ collection, id, data: { _status: status } }))

const rename = (id: number, name: string) =>
  settled(session.payload.update({ collection: collectionSlugs.items, id, data: { name } }))

/** Reads `path` until it is cached, then returns the cached answer. */
const readCached = async (path: string) => {
  await read(path)
  const cached = await read(path)
  expect(cached.headers['x-cache'], path).toBe('HIT')
  return cached
}

const catalogCategory = async (id: number): Promise<CatalogCategory | undefined> =>
  (await readJson<Catalog>('/api/catalog')).categories.find((category) => category.id === id)

describe('the category index', () => {
  it('should list the published categories in catalog order, with their counts and documents', async () => {
    const first = await createCategory({ sortOrder: -500 })
    const second = await createCategory({ sortOrder: -400 })
    const hidden = await createCategory({ sortOrder: -450, _status: 'draft' })
    await createItem(first)
    await createItem(first)
    await createItem(first, { _status: 'draft' })
    await createItem(second)
    const index = await readJson<CatalogCategoryIndex>(indexPath)
    const catalog = await readJson<Catalog>('/api/catalog')
    expect(index.site).toEqual(catalog.site)
    expect(index.categories).toEqual(
      catalog.categories.map(({ id, name, slug, items }) => ({
        id,
        name,
        slug,
        itemCount: items.length,
        href: `/api/catalog/categories/${slug}`,
      })),
    )
    const ids = index.categories.map((category) => category.id)
    expect(ids.indexOf(first.id)).toBeLessThan(ids.indexOf(second.id))
    expect(ids).not.toContain(hidden.id)
    expect(index.categories.find((category) => category.id === first.id)?.itemCount).toBe(2)
    for (const { href } of index.categories.slice(0, 3))
      expect((await read(String(href))).status, String(href)).toBe(200)
  })

  it('should count an item added to a category at once', async () => {
    const category = await createCategory()
    await createItem(category)
    await readCached(indexPath)
    await createItem(category)
    const after = await read(indexPath)
    expect(after.headers['x-cache']).toBe('MISS')
    const entry = jsonOf<CatalogCategoryIndex>(after).categories.find(
      (line) => line.id === category.id,
    )
    expect(entry?.itemCount).toBe(2)
  })
})

describe("a category's document", () => {
  it("should be the catalog's own category, items in the catalog's order", async () => {
    const [cover, photo] = [await createImage('Shelf'), await createImage('Tin')]
    const category = await createCategory({ image: cover.id, description: 'Loose leaf.' })
    // Equal sortOrders fall back to names in code unit order: "Zeta" before "alpha".
    for (const [name, sortOrder] of [
      ['alpha', 0],
      ['Zeta', 0],
      ['First', -1],
    ] as const)
      await createItem(category, {
        name: uniqueName(name),
        sortOrder,
        images: [photo.id],
        tags: ['loose', 'green'],
        description: plainTextToRichText('Steep for three minutes.'),
      })
    await createItem(category, { name: uniqueName('Draft tea'), _status: 'draft' })
    const document = await readJson<CatalogCategory>(documentPath(category))
    expect(document).toEqual(await catalogCategory(category.id))
    expect(document.items.map((item) => item.name.split(' ')[0])).toEqual([
      'First',
      'Zeta',
      'alpha',
    ])
    expect(document.image?.alt).toBe('Shelf')
    expect(document.items[0].images[0].sizes.thumbnail?.url).toBeTruthy()
  })

  it('should show drafts to nobody, signed in or not', async () => {
    const category = await createCategory()
    const draft = await createItem(category, { name: uniqueName('Unreleased'), _status: 'draft' })
    const signedIn = await read(documentPath(category), { Authorization: `JWT ${session.token}` })
    expect(signedIn.headers['x-cache']).toBe('BYPASS')
    expect(signedIn.status).toBe(200)
    expect(decodeBody(signedIn).toString('utf8')).not.toContain(draft.name)
    expect(jsonOf<CatalogCategory>(signedIn).items).toEqual([])
  })

  it('should answer an unknown, unpublished or impossible slug with a 404', async () => {
    const draftOnly = await createCategory({ _status: 'draft' })
    for (const path of [
      `${indexPath}/no-such-category-${Date.now()}`,
      documentPath(draftOnly),
      `${indexPath}/Not%20A%20Slug%00`,
    ]) {
      const response = await read(path)
      expect(response.status, path).toBe(404)
      const body = jsonOf<{ errors: { message: string }[] }>(response)
      expect(body.errors[0].message, path).toMatch(/^No published category has/)
    }
  })

  it('should answer a second read from the cache, with the same bytes', async () => {
    const category = await createCategory()
    await createItem(category)
    const first = await read(documentPath(category))
    const second = await read(documentPath(category))
    expect(first.headers['x-cache']).toBe('MISS')
    expect(second.headers['x-cache']).toBe('HIT')
    expect(second.headers.etag).toBe(first.headers.etag)
    expect(decodeBody(second).equals(decodeBody(first))).toBe(true)
  })
})

describe('what a change evicts', () => {
  it("should evict C's document when one of its items is renamed, and keep D's", async () => {
    const [c, d] = [await createCategory(), await createCategory()]
    const item = await createItem(c)
    await createItem(d)
    await readCached(documentPath(c))
    await readCached(documentPath(d))
    await readCached(indexPath)
    const name = uniqueName('Renamed')
    await rename(item.id, name)
    const renamed = await read(documentPath(c))
    expect(renamed.headers['x-cache']).toBe('MISS')
    expect(jsonOf<CatalogCategory>(renamed)).toEqual(await catalogCategory(c.id))
    expect(jsonOf<CatalogCategory>(renamed).items[0].name).toBe(name)
    expect((await read(documentPath(d))).headers['x-cache']).toBe('HIT')
    // The index shows no item names.
    expect((await read(indexPath)).headers['x-cache']).toBe('HIT')
  })

  it('should take an unpublished category out of the index, its document a 404', async () => {
    const category = await createCategory()
    await createItem(category)
    await readCached(documentPath(category))
    await readCached(indexPath)
    await setStatus(collectionSlugs.categories, category.id, 'draft')
    const index = jsonOf<CatalogCategoryIndex>(await read(indexPath))
    expect(index.categories.map((line) => line.id)).not.toContain(category.id)
    expect((await read(documentPath(category))).status).toBe(404)
    await setStatus(collectionSlugs.categories, category.id, 'published')
    expect((await read(documentPath(category))).status).toBe(200)
  })

  it('should still serve the whole catalog at /api/catalog', async () => {
    const category = await createCategory()
    const catalog = await read('/api/catalog')
    expect(catalog.status).toBe(200)
    expect(jsonOf<Catalog>(catalog).categories.map((entry) => entry.id)).toContain(category.id)
  })
})
