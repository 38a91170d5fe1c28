import { sql } from '@payloadcms/db-postgres'
import { convertMarkdownToLexical } from '@payloadcms/richtext-lexical'
import type { FlattenedField, Payload, RichTextAdapter, RichTextField } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { collectionSlugs } from '../../collections/slugs'
import type { Category, Item, Media, User } from '../../payload-types'
import { graphql, loginToken, rest } from '../helpers/http'
import { makeJpeg } from '../helpers/images'
import { closePayload, createUser, initPayload, testPassword, uniqueName } from '../helpers/payload'

let payload: Payload
let editorToken: string
let editor: User
let category: Category
let image: Media

type Description = NonNullable<Item['description']>

/** Not an editor state Lexical can load: a child that is a number. */
const malformed = { root: { type: 'root', children: [1] } }

beforeAll(async () => {
  payload = await initPayload()
  editor = await createUser({ payload, role: 'editor' })
  editorToken = await loginToken(editor.email, testPassword)
  category = await payload.create({
    collection: collectionSlugs.categories,
    data: { name: uniqueName('Rich text category'), _status: 'published' },
  })
  const data = await makeJpeg(120, 80)
  image = await payload.create({
    collection: collectionSlugs.media,
    data: { alt: 'Rich text image' },
    file: { data, mimetype: 'image/jpeg', name: 'rich-text.jpg', size: data.length },
  })
})

afterAll(async () => {
  await closePayload(payload)
})

/** Every richText field, however deep in groups, arrays, tabs or blocks. */
const findRichTextFields = (fields: FlattenedField[], prefix: string): [string, RichTextField][] =>
  fields.flatMap((field): [string, RichTextField][] => {
    const path = `${prefix}${field.name}`
    if (field.type === 'richText') return [[path, field as unknown as RichTextField]]
    if ('flattenedFields' in field) return findRichTextFields(field.flattenedFields, `${path}.`)
    if (field.type === 'blocks') {
      return (field.blocks ?? []).flatMap((block) =>
        typeof block === 'string' ? [] : findRichTextFields(block.flattenedFields, `${path}.`),
      )
    }
    return []
  })

const createItem = (description: unknown) =>
  rest('POST', '/api/items', {
    token: editorToken,
    body: { name: uniqueName('Rich text item'), price: 100, category: category.id, description },
  })

describe('rich text', () => {
  it('should guard every richText field of every collection and global', async () => {
    const fields = [
      ...payload.config.collections.flatMap((collection) =>
        findRichTextFields(collection.flattenedFields, `${collection.slug}.`),
      ),
      ...payload.config.globals.flatMap((global) =>
        findRichTextFields(global.flattenedFields, `${global.slug}.`),
      ),
    ]
    expect(fields.map(([path]) => path)).toContain('items.description')
    const req = { t: (key: string) => key } as never
    for (const [path, field] of fields) {
      const editor = field.editor as RichTextAdapter
      const result = await editor.validate(malformed as never, { req } as never)
      expect(result, path).toBe('root.children[0]: a node must be an object with a type.')
    }
  })

  it('should store what the editor writes: every default node type', async () => {
    const editorConfig = (
      payload.collections.items.config.flattenedFields.find(
        (field) => field.name === 'description',
      ) as unknown as {
        editor: { editorConfig: Parameters<typeof convertMarkdownToLexical>[0]['editorConfig'] }
      }
    ).editor.editorConfig
    const written = convertMarkdownToLexical({
      editorConfig,
      markdown: [
        '## Tea, **strong** and *fresh*',
        'A [link](https://example.com) and `code`.',
        '> A quote',
        '- one\n- two\n  - nested',
        '1. first\n2. second',
        '- [x] done',
        '---',
      ].join('\n\n'),
    }) as unknown as Description
    const upload = {
      type: 'upload',
      version: 3,
      format: '',
      id: '6760c0ffee0000000000abcd',
      fields: null,
      relationTo: collectionSlugs.media,
      value: image.id,
    }
    const relationship = {
      type: 'relationship',
      version: 2,
      format: '',
      relationTo: collectionSlugs.categories,
      value: category.id,
    }
    const description = {
      root: { ...written.root, children: [...written.root.children, upload, relationship] },
    }
    const types = new Set<string>()
    const collectTypes = (node: { type: string; children?: unknown[] }) => {
      types.add(node.type)
      for (const child of node.children ?? []) collectTypes(child as typeof node)
    }
    collectTypes(description.root)
    expect([...types].sort()).toEqual(
      [
        'heading',
        'horizontalrule',
        'link',
        'list',
        'listitem',
        'paragraph',
        'quote',
        'relationship',
        'root',
        'text',
        'upload',
      ].sort(),
    )

    const response = await createItem(description)
    expect(response.status, await response.clone().text()).toBe(201)
    const { doc } = (await response.json()) as { doc: Item }
    const stored = await payload.findByID({
      collection: collectionSlugs.items,
      id: doc.id,
      depth: 0,
    })
    expect(stored.description?.root.children).toHaveLength(description.root.children.length)
  })

  it('should refuse malformed rich text over REST with 400 naming the field, and store nothing', async () => {
    const name = uniqueName('Malformed rich text')
    const response = await rest('POST', '/api/items', {
      token: editorToken,
      body: { name, price: 100, category: category.id, description: malformed },
    })
    expect(response.status).toBe(400)
    const body = (await response.json()) as {
      errors: { name: string; data: { errors: { path: string; message: string }[] } }[]
    }
    expect(body.errors[0].name).toBe('ValidationError')
    expect(body.errors[0].data.errors).toEqual([
      { path: 'description', message: 'root.children[0]: a node must be an object with a type.' },
    ])
    const { totalDocs } = await payload.count({
      collection: collectionSlugs.items,
      where: { name: { equals: name } },
    })
    expect(totalDocs).toBe(0)
  })

  it('should refuse malformed rich text from the Local API as a ValidationError', async () => {
    await expect(
      payload.create({
        collection: collectionSlugs.items,
        data: {
          name: uniqueName('Local malformed'),
          price: 100,
          category: category.id,
          description: { root: { type: 'root', children: [{ type: 'script' }] } } as never,
        },
      }),
    ).rejects.toMatchObject({
      name: 'ValidationError',
      status: 400,
      data: { errors: [{ path: 'description', message: expect.stringMatching(/"script"/) }] },
    })
  })
})

/** A paragraph holding a link (or autolink) node to `url` around the text "offer". */
const describeWithLink = (url: string, type: 'link' | 'autolink' = 'link') => ({
  root: {
    type: 'root',
    version: 1,
    format: '',
    indent: 0,
    direction: null,
    children: [
      {
        type: 'paragraph',
        version: 1,
        format: '',
        indent: 0,
        direction: null,
        children: [
          {
            type: 'text',
            version: 1,
            text: 'See the ',
            format: 0,
            detail: 0,
            mode: 'normal',
            style: '',
          },
          {
            type,
            version: 3,
            format: '',
            indent: 0,
            direction: null,
            fields: { url, linkType: 'custom', newTab: false },
            children: [
              {
                type: 'text',
                version: 1,
                text: 'offer',
                format: 0,
                detail: 0,
                mode: 'normal',
                style: '',
              },
            ],
          },
        ],
      },
    ],
  },
})

const unsafeUrls = [
  'javascript:alert(document.cookie)',
  'JaVaScRiPt:alert(1)',
  ' javascript:alert(1)',
  'java\tscript:alert(1)',
  'javascript://example.com/%0Aalert(1)',
  '&#106;avascript:alert(1)',
  '%6Aavascript:alert(1)',
  'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==',
  'vbscript:msgbox(1)',
]

type ErrorAnswer = {
  errors: { message: string; data?: { errors: { path: string; message: string }[] } }[]
}

const createItemOverGraphQL = (description: unknown) =>
  graphql('mutation ($data: mutationItemInput!) { createItem(data: $data) { id } }', {
    token: editorToken,
    variables: {
      data: { name: uniqueName('GraphQL link'), price: 100, category: category.id, description },
    },
  })

describe('links in rich text', () => {
  it.each(unsafeUrls.flatMap((url) => (['link', 'autolink'] as const).map((type) => [url, type])))(
    'should refuse a %j %s over REST, GraphQL and the Local API, naming the field',
    async (url, type) => {
      const description = describeWithLink(url, type as 'link' | 'autolink')
      const countBefore = (await payload.count({ collection: collectionSlugs.items })).totalDocs

      const overRest = await createItem(description)
      expect(overRest.status).toBe(400)
      const restError = ((await overRest.json()) as ErrorAnswer).errors[0]
      expect(restError.data?.errors).toEqual([
        {
          path: 'description',
          message: expect.stringMatching(
            /^root\.children\[0\]\.children\[1\]: a link may only lead to http, https, mailto, tel or relative URLs/,
          ),
        },
      ])

      const overGraphQL = await createItemOverGraphQL(description)
      expect(overGraphQL.status).toBe(400)
      expect(((await overGraphQL.json()) as ErrorAnswer).errors[0].message).toMatch(/description/i)

      await expect(
        payload.create({
          collection: collectionSlugs.items,
          data: {
            name: uniqueName('Local link'),
            price: 100,
            category: category.id,
            description: description as never,
          },
          overrideAccess: false,
          user: { ...editor, collection: collectionSlugs.users },
        }),
      ).rejects.toMatchObject({ name: 'ValidationError', status: 400 })

      expect((await payload.count({ collection: collectionSlugs.items })).totalDocs).toBe(
        countBefore,
      )
    },
  )

  it('should accept http, https, mailto, tel and relative links', async () => {
    for (const url of [
      'https://example.com/a?b=1#c',
      'http://example.com',
      'mailto:shop@example.com',
      'tel:+442079460000',
      '/catalog',
      '#reviews',
    ]) {
      const response = await createItem(describeWithLink(url))
      expect(response.status, url).toBe(201)
    }
  })

  it('should serve no unsafe link already stored, over REST, GraphQL or the catalog', async () => {
    const item = await payload.create({
      collection: collectionSlugs.items,
      data: {
        name: uniqueName('Stored link'),
        price: 100,
        category: category.id,
        description: describeWithLink('https://example.com') as never,
        _status: 'published',
      },
    })
    await payload.update({
      collection: collectionSlugs.categories,
      id: category.id,
      data: { _status: 'published' },
    })
    // As stored before writes were checked: past every hook.
    const stored = JSON.stringify(describeWithLink('javascript:alert(document.cookie)'))
    await payload.db.drizzle.execute(
      sql`UPDATE items SET description = ${stored}::jsonb WHERE id = ${item.id}`,
    )

    const overRest = await rest('GET', `/api/items/${item.id}`)
    const overGraphQL = await graphql(`{ Item(id: ${item.id}) { description } }`)
    const catalog = await rest('GET', '/api/catalog')
    const local = await payload.findByID({ collection: collectionSlugs.items, id: item.id })
    for (const text of [
      await overRest.text(),
      await overGraphQL.text(),
      await catalog.text(),
      JSON.stringify(local),
    ]) {
      expect(text).toContain('offer')
      expect(text).not.toMatch(/javascript/i)
    }
    const { description } = (await (await rest('GET', `/api/items/${item.id}`)).json()) as Item
    expect(description?.root.children[0]).toMatchObject({
      type: 'paragraph',
      children: [{ text: 'See the ' }, { type: 'text', text: 'offer' }],
    })
  })
})
