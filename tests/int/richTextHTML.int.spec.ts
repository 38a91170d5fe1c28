import { sql } from '@payloadcms/db-postgres'
import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { collectionSlugs } from '../../collections/slugs'
import type { Category, Item, Media, User } from '../../payload-types'
import { buildCatalog, type CatalogItem } from '../../src/catalog/buildCatalog'
import { createIncrementalCatalogBuild } from '../../src/catalog/incrementalCatalog'
import { graphql, loginToken, rest } from '../helpers/http'
import { makeJpeg } from '../helpers/images'
import { expectInertHTML } from '../helpers/inertHTML'
import {
  lexicalParagraph as paragraph,
  lexicalState as state,
  lexicalText as text,
  lexicalUpload as uploadNode,
} from '../helpers/lexical'
import { closePayload, createUser, initPayload, testPassword, uniqueName } from '../helpers/payload'

const publicBase = process.env.R2_PUBLIC_BASE as string

let payload: Payload
let editor: User
let editorToken: string
let category: Category
let image: Media

/** A description as an editor writes it: a heading, formatted text, a link and an image. */
const editorial = (imageId: number) =>
  state(
    { type: 'heading', tag: 'h2', children: [text('Tea & <cakes>')], direction: null, version: 1 },
    paragraph(text('Loose '), text('leaf', 1), text(' — '), {
      type: 'link',
      version: 3,
      fields: { url: 'https://example.com/tea?a=1&b=2', linkType: 'custom', newTab: false },
      children: [text('order')],
      direction: null,
      format: '',
      indent: 0,
    }),
    uploadNode(imageId),
  )

const editorialHTML = (doc: Media) =>
  [
    '<h2>Tea &amp; &lt;cakes&gt;</h2>',
    '<p>Loose <strong>leaf</strong> — <a href="https://example.com/tea?a=1&amp;b=2">order</a></p>',
    `<img src="${publicBase}/media/${doc.filename}" alt="Steeping tea" width="1700" height="1000"`,
    ` srcset="${publicBase}/media/${doc.sizes?.thumbnail?.filename} 320w,`,
    ` ${publicBase}/media/${doc.sizes?.card?.filename} 768w,`,
    ` ${publicBase}/media/${doc.sizes?.hero?.filename} 1600w,`,
    ` ${publicBase}/media/${doc.filename} 1700w" />`,
  ].join('')

const createPublishedItem = (description: unknown, name = uniqueName('HTML item')) =>
  payload.create({
    collection: collectionSlugs.items,
    data: {
      name,
      price: 100,
      category: category.id,
      description: description as Item['description'],
      _status: 'published',
    },
  })

const getItem = async (path: string, token?: string) => {
  const response = await rest('GET', path, { token })
  expect(response.status, path).toBe(200)
  return (await response.json()) as Partial<Item>
}

beforeAll(async () => {
  payload = await initPayload()
  editor = await createUser({ payload, role: 'editor' })
  editorToken = await loginToken(editor.email, testPassword)
  category = await payload.create({
    collection: collectionSlugs.categories,
    data: { name: uniqueName('HTML category'), _status: 'published' },
  })
  const data = await makeJpeg(1700, 1000)
  image = await payload.create({
    collection: collectionSlugs.media,
    data: { alt: 'Steeping tea' },
    file: { data, mimetype: 'image/jpeg', name: 'steeping.jpg', size: data.length },
  })
})

afterAll(async () => {
  await closePayload(payload)
})

describe('descriptionHTML over REST and GraphQL', () => {
  it('should give the description as HTML, images on their public URLs', async () => {
    const item = await createPublishedItem(editorial(image.id))
    for (const depth of [0, 1, 2]) {
      const read = await getItem(`/api/items/${item.id}?depth=${depth}`)
      expect(read.descriptionHTML, `depth ${depth}`).toBe(editorialHTML(image))
    }
    const overGraphQL = (await (
      await graphql(`{ Item(id: ${item.id}) { descriptionHTML } }`)
    ).json()) as { data: { Item: { descriptionHTML: string } } }
    expect(overGraphQL.data.Item.descriptionHTML).toBe(editorialHTML(image))
    expectInertHTML(editorialHTML(image))
  })

  it('should give null for no description', async () => {
    const item = await createPublishedItem(null)
    expect((await getItem(`/api/items/${item.id}`)).descriptionHTML).toBeNull()
  })

  it('should follow select: left out, asked for alone, or excluded', async () => {
    const item = await createPublishedItem(editorial(image.id))
    const path = `/api/items/${item.id}`
    const nameOnly = await getItem(`${path}?select[name]=true`)
    expect(Object.keys(nameOnly).sort()).toEqual(['id', 'name'])
    // Computed from the description, which is read (and returned) with it.
    const htmlOnly = await getItem(`${path}?select[descriptionHTML]=true`)
    expect(htmlOnly.descriptionHTML).toBe(editorialHTML(image))
    expect(Object.keys(htmlOnly).sort()).toEqual(['description', 'descriptionHTML', 'id'])
    const excluded = await getItem(`${path}?select[descriptionHTML]=false`)
    expect(excluded).not.toHaveProperty('descriptionHTML')
    expect(excluded.description).toBeTruthy()

    const selected = (await (
      await graphql(
        `{ Items(select: true, where: { id: { equals: ${item.id} } }) { docs { descriptionHTML } } }`,
      )
    ).json()) as { data: { Items: { docs: { descriptionHTML: string }[] } } }
    expect(selected.data.Items.docs[0].descriptionHTML).toBe(editorialHTML(image))
  })

  it('should store nothing a client sends as descriptionHTML', async () => {
    const created = await rest('POST', '/api/items', {
      token: editorToken,
      body: {
        name: uniqueName('Sent HTML'),
        price: 1,
        category: category.id,
        description: state(paragraph(text('Plain'))),
        descriptionHTML: '<script>alert(1)</script>',
      },
    })
    expect(created.status).toBe(201)
    const { doc } = (await created.json()) as { doc: Item }
    expect(doc.descriptionHTML).toBe('<p>Plain</p>')
    const updated = await rest('PATCH', `/api/items/${doc.id}`, {
      token: editorToken,
      body: { descriptionHTML: '<img src=x onerror=alert(1)>' },
    })
    expect(updated.status).toBe(200)
    expect(((await updated.json()) as { doc: Item }).doc.descriptionHTML).toBe('<p>Plain</p>')
  })

  it('should refuse a query on descriptionHTML with a 400, as for any field that cannot be queried', async () => {
    const response = await rest('GET', '/api/items?where[descriptionHTML][equals]=x')
    expect(response.status).toBe(400)
  })
})

describe('descriptionHTML of hostile stored rich text', () => {
  it('should be inert and show nothing the reader may not read', async () => {
    const draft = await payload.create({
      collection: collectionSlugs.items,
      data: { name: 'Secret draft launch', price: 1, category: category.id, _status: 'draft' },
      draft: true,
    })
    const item = await createPublishedItem(state(paragraph(text('Safe'))))
    // As stored before writes were checked, or written past the API: straight into the column.
    const hostile = state(
      paragraph(
        text('<script>alert(1)</script>'),
        text('" onmouseover="alert(1)', 1),
        {
          type: 'link',
          fields: { url: 'javascript:alert(document.cookie)', linkType: 'custom' },
          children: [text('click')],
        },
        {
          type: 'link',
          fields: { linkType: 'internal', doc: { relationTo: 'items', value: draft.id } },
          children: [text('internal')],
        },
      ),
      { type: 'script', html: '<script>alert(2)</script>', children: [text('kept text')] },
      { type: 'relationship', relationTo: 'users', value: editor.id },
      { type: 'relationship', relationTo: 'items', value: draft.id },
      { type: 'heading', tag: 'img src=x onerror=alert(3)', children: [text('Heading')] },
      uploadNode(999_999_999),
    )
    await payload.db.drizzle.execute(
      sql`UPDATE items SET description = ${JSON.stringify(hostile)}::jsonb WHERE id = ${item.id}`,
    )
    const html = (await getItem(`/api/items/${item.id}?depth=2`)).descriptionHTML as string
    expect(html).toBe(
      '<p>&lt;script&gt;alert(1)&lt;/script&gt;<strong>&quot; onmouseover=&quot;alert(1)</strong>clickinternal</p>' +
        'kept text<h1>Heading</h1>',
    )
    expectInertHTML(html)
    const asEditor = (await getItem(`/api/items/${item.id}?depth=2`, editorToken))
      .descriptionHTML as string
    for (const leak of [editor.email, 'Secret draft launch', String(draft.slug)]) {
      expect(html).not.toContain(leak)
      expect(asEditor).not.toContain(leak)
    }
  })
})

describe('descriptionHTML in the catalog', () => {
  const catalogItem = async (id: number): Promise<CatalogItem | undefined> =>
    (await buildCatalog({ payload })).categories
      .flatMap((entry) => entry.items)
      .find((entry) => entry.id === id)

  it('should be the HTML REST gives, beside the JSON, over GET /api/catalog too', async () => {
    const item = await createPublishedItem(editorial(image.id))
    const restHTML = (await getItem(`/api/items/${item.id}`)).descriptionHTML
    expect((await catalogItem(item.id))?.descriptionHTML).toBe(restHTML)
    const catalog = (await (await rest('GET', '/api/catalog')).json()) as {
      categories: { items: CatalogItem[] }[]
    }
    const served = catalog.categories.flatMap((entry) => entry.items).find((i) => i.id === item.id)
    expect(served?.description).toBeTruthy()
    expect(served?.descriptionHTML).toBe(restHTML)
  })

  it('should show an image change in the HTML after an incremental build', async () => {
    const data = await makeJpeg(400, 300)
    const shown = await payload.create({
      collection: collectionSlugs.media,
      data: { alt: 'Before' },
      file: { data, mimetype: 'image/jpeg', name: 'shown.jpg', size: data.length },
    })
    const item = await createPublishedItem(state(uploadNode(shown.id)))
    const build = createIncrementalCatalogBuild()
    expect(Buffer.concat(await build({ payload })).toString()).toContain('alt=\\"Before\\"')
    await payload.update({
      collection: collectionSlugs.media,
      id: shown.id,
      data: { alt: 'After' },
    })
    const rebuilt = Buffer.concat(
      await build({ payload, changes: [{ collection: collectionSlugs.media, id: shown.id }] }),
    )
    expect(rebuilt.equals(Buffer.from(JSON.stringify(await buildCatalog({ payload }))))).toBe(true)
    expect((await catalogItem(item.id))?.descriptionHTML).toContain('alt="After"')
  })
})
