import { beforeAll, describe, expect, it } from 'vitest'

import { collectionSlugs } from '../../collections/slugs'
import type { Category, Item, Media } from '../../payload-types'
import { rest } from '../helpers/http'
import { makeJpeg } from '../helpers/images'
import { uniqueName } from '../helpers/payload'
import { setupEditorSession } from '../helpers/session'

const session = setupEditorSession()

type Doc<T> = { doc: T }
type ErrorBody = {
  errors: { message: string; data?: { errors?: { path: string; message: string }[] } }[]
}

const createCategoryViaRest = async (data: Record<string, unknown>, token = session.token) =>
  rest('POST', '/api/categories', {
    token,
    body: { name: uniqueName('Category'), _status: 'published', ...data },
  })

describe('REST writes', () => {
  it('should let an editor create, read, update and delete a category', async () => {
    const created = await createCategoryViaRest({ description: 'first' })
    expect(created.status).toBe(201)
    const { doc } = (await created.json()) as Doc<Category>

    const patched = await rest('PATCH', `/api/categories/${doc.id}`, {
      token: session.token,
      body: { description: 'second' },
    })
    expect(patched.status).toBe(200)
    expect(((await patched.json()) as Doc<Category>).doc.description).toBe('second')

    const read = await rest('GET', `/api/categories/${doc.id}`)
    expect(read.status).toBe(200)
    expect(((await read.json()) as Category).description).toBe('second')

    const deleted = await rest('DELETE', `/api/categories/${doc.id}`, { token: session.token })
    expect(deleted.status).toBe(200)
    expect((await rest('GET', `/api/categories/${doc.id}`, { token: session.token })).status).toBe(
      404,
    )
  })

  it('should refuse to delete a category that items still belong to, and change nothing', async () => {
    const { doc: category } = (await (await createCategoryViaRest({})).json()) as Doc<Category>
    const item = await session.payload.create({
      collection: collectionSlugs.items,
      data: { name: uniqueName('Still here'), price: 5, category: category.id, _status: 'draft' },
      draft: true,
    })
    const refused = await rest('DELETE', `/api/categories/${category.id}`, { token: session.token })
    expect(refused.status).toBe(409)
    const [error] = ((await refused.json()) as ErrorBody).errors
    expect(error.message).toContain(`"${item.name}" (id ${item.id})`)
    const kept = await session.payload.findByID({
      collection: collectionSlugs.items,
      id: item.id,
      depth: 0,
      draft: true,
    })
    expect(kept.category).toBe(category.id)
    await session.payload.delete({ collection: collectionSlugs.items, id: item.id })
    const deleted = await rest('DELETE', `/api/categories/${category.id}`, { token: session.token })
    expect(deleted.status).toBe(200)
  })

  it.each([
    ['categories', { name: 'Anonymous category' }],
    ['items', { name: 'Anonymous item', price: 1 }],
  ])('should refuse an anonymous create on %s and store nothing', async (collection, body) => {
    const response = await rest('POST', `/api/${collection}`, { body })
    expect(response.status).toBe(403)
    const { totalDocs } = await session.payload.count({
      collection: collection as 'categories' | 'items',
      where: { name: { equals: body.name } },
    })
    expect(totalDocs).toBe(0)
  })

  it('should refuse anonymous updates and deletes', async () => {
    const { doc } = (await (
      await createCategoryViaRest({ description: 'kept' })
    ).json()) as Doc<Category>
    expect(
      (await rest('PATCH', `/api/categories/${doc.id}`, { body: { description: 'changed' } }))
        .status,
    ).toBe(403)
    expect((await rest('DELETE', `/api/categories/${doc.id}`)).status).toBe(403)
    const read = await session.payload.findByID({
      collection: collectionSlugs.categories,
      id: doc.id,
    })
    expect(read.description).toBe('kept')
  })

  it('should answer a duplicate slug with 400 and a field error, not 500', async () => {
    const { doc } = (await (await createCategoryViaRest({})).json()) as Doc<Category>
    const duplicate = await createCategoryViaRest({ slug: doc.slug })
    expect(duplicate.status).toBe(400)
    const body = (await duplicate.json()) as ErrorBody
    expect(body.errors[0].data?.errors?.[0]?.path).toBe('slug')
  })

  it('should answer malformed JSON with 400 and no stack trace', async () => {
    const response = await rest('POST', '/api/categories', {
      token: session.token,
      body: '{"name": ',
    })
    expect(response.status).toBeGreaterThanOrEqual(400)
    expect(response.status).toBeLessThan(500)
    expect(await response.text()).not.toMatch(/\bat .+\(.+:\d+:\d+\)/)
  })

  // Regression: valid JSON that is not an object reached field hooks and answered 500.
  it.each(['"just a string"', '42', 'null', '[1, 2]'])(
    'should answer the JSON body %s with 400 and store nothing',
    async (body) => {
      const before = await session.payload.count({ collection: 'categories' })
      const response = await rest('POST', '/api/categories', { token: session.token, body })
      expect(response.status).toBe(400)
      expect(((await response.json()) as ErrorBody).errors[0].message).toMatch(/JSON object/)
      expect(await session.payload.count({ collection: 'categories' })).toEqual(before)
      const patched = await rest('POST', '/api/globals/site-settings', {
        token: session.token,
        body,
      })
      expect(patched.status).toBe(400)
    },
  )

  it('should answer an unknown id with 404', async () => {
    expect((await rest('GET', '/api/items/999999999')).status).toBe(404)
  })

  it('should upload an image with multipart form data', async () => {
    const form = new FormData()
    form.append(
      'file',
      new Blob([new Uint8Array(await makeJpeg(900, 600))], { type: 'image/jpeg' }),
      'upload.jpg',
    )
    form.append('_payload', JSON.stringify({ alt: 'Uploaded through REST' }))
    const response = await rest('POST', '/api/media', { token: session.token, formData: form })
    expect(response.status).toBe(201)
    const { doc } = (await response.json()) as Doc<Media>
    expect(doc.sizes?.thumbnail?.width).toBe(320)
    expect(doc.sizes?.card?.width).toBe(768)
    // Smaller than 1600 px: the hero size is not upscaled.
    expect(doc.sizes?.hero?.url ?? null).toBeNull()
  })

  it('should refuse an anonymous upload', async () => {
    const form = new FormData()
    form.append(
      'file',
      new Blob([new Uint8Array(await makeJpeg(50, 50))], { type: 'image/jpeg' }),
      'anon.jpg',
    )
    form.append('_payload', JSON.stringify({ alt: 'Anonymous upload' }))
    expect((await rest('POST', '/api/media', { formData: form })).status).toBe(403)
  })
})

describe('REST reads and drafts', () => {
  let category: Category
  let published: Item
  let draft: Item

  beforeAll(async () => {
    category = await session.payload.create({
      collection: collectionSlugs.categories,
      data: { name: uniqueName('Drafts'), _status: 'published' },
    })
    published = await session.payload.create({
      collection: collectionSlugs.items,
      data: {
        name: uniqueName('Published'),
        price: 100,
        category: category.id,
        _status: 'published',
      },
    })
    draft = await session.payload.create({
      collection: collectionSlugs.items,
      data: { name: uniqueName('Draft'), price: 200, category: category.id, _status: 'draft' },
      draft: true,
    })
  })

  const listItemIds = async (token?: string, query = '') => {
    const response = await rest(
      'GET',
      `/api/items?limit=100&where[category][equals]=${category.id}${query}`,
      {
        token,
      },
    )
    expect(response.status).toBe(200)
    return ((await response.json()) as { docs: Item[] }).docs.map((doc) => doc.id)
  }

  it('should hide drafts from anonymous readers', async () => {
    expect(await listItemIds()).toEqual([published.id])
    expect((await rest('GET', `/api/items/${draft.id}`)).status).toBe(404)
  })

  it('should hide drafts from anonymous readers who ask for drafts', async () => {
    expect(await listItemIds(undefined, '&draft=true')).toEqual([published.id])
  })

  it('should show drafts to editors', async () => {
    expect((await listItemIds(session.token, '&draft=true')).sort()).toEqual(
      [published.id, draft.id].sort(),
    )
  })

  it('should keep serving the published version while a newer draft is pending', async () => {
    await session.payload.update({
      collection: collectionSlugs.items,
      id: published.id,
      data: { name: 'Unpublished rename' },
      draft: true,
    })
    const response = await rest('GET', `/api/items/${published.id}`)
    expect(((await response.json()) as Item).name).toBe(published.name)
  })

  it('should populate relationships to the requested depth', async () => {
    const response = await rest('GET', `/api/items/${published.id}?depth=1`)
    const item = (await response.json()) as Item
    expect(item.category).toMatchObject({ id: category.id, name: category.name })
    const shallow = (await (await rest('GET', `/api/items/${published.id}?depth=0`)).json()) as Item
    expect(shallow.category).toBe(category.id)
  })
})

describe('REST page sizes', () => {
  it("should answer the admin's 250-document lookup of related categories for a signed-in editor", async () => {
    const { doc: category } = (await (await createCategoryViaRest({})).json()) as Doc<Category>
    // What the admin's list view asks to show the category names of the items it lists.
    const lookup = `/api/categories?depth=0&draft=true&limit=250&where[id][in]=${category.id}`
    const signedIn = await rest('GET', lookup, { token: session.token })
    expect(signedIn.status).toBe(200)
    const { docs } = (await signedIn.json()) as { docs: Category[] }
    expect(docs.map((doc) => doc.name)).toEqual([category.name])

    const anonymous = await rest('GET', lookup)
    expect(anonymous.status).toBe(400)
    expect(((await anonymous.json()) as ErrorBody).errors[0].message).toBe(
      'limit must be a whole number from 1 to 100.',
    )
  })
})
