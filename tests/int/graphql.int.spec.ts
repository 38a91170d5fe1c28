import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { collectionSlugs } from '../../collections/slugs'
import type { Category } from '../../payload-types'
import { graphQLMaxAliases, graphQLMaxDepth } from '../../src/config/graphql/graphqlLimits'
import { plainTextToRichText } from '../../src/lib/richText'
import { graphql, handleApiRequest, loginToken, rest } from '../helpers/http'
import { closePayload, createUser, initPayload, testPassword, uniqueName } from '../helpers/payload'

/** Posts a GraphQL body as given, operationName included, to the app's route. */
const graphqlRoute = (body: Record<string, unknown>, token?: string) =>
  rest('POST', '/api/graphql', { body, token })

let payload: Payload
let category: Category
let editorToken: string
const publishedName = uniqueName('GraphQL published')
const draftName = uniqueName('GraphQL draft')

type GraphQLBody<T> = {
  data: T
  errors?: { message: string; extensions?: Record<string, unknown> }[]
}
type CategoriesWithItems = {
  Categories: {
    docs: { name: string; slug: string; items: { docs: { name: string; price: number }[] } }[]
  }
}

const categoriesWithItemsQuery = `query ($slug: String!) {
  Categories(where: { slug: { equals: $slug } }) {
    docs { name slug items { docs { name price } } }
  }
}`

beforeAll(async () => {
  payload = await initPayload()
  const editor = await createUser({ payload, role: 'editor' })
  editorToken = await loginToken(editor.email, testPassword)
  category = await payload.create({
    collection: collectionSlugs.categories,
    data: { name: uniqueName('GraphQL category'), _status: 'published' },
  })
  await payload.create({
    collection: collectionSlugs.items,
    data: { name: publishedName, price: 250, category: category.id, _status: 'published' },
  })
  await payload.create({
    collection: collectionSlugs.items,
    data: { name: draftName, price: 300, category: category.id, _status: 'draft' },
    draft: true,
  })
})

afterAll(async () => {
  await closePayload(payload)
})

describe('GraphQL', () => {
  it('should return categories with their published items to anonymous readers', async () => {
    const response = await graphql(categoriesWithItemsQuery, { variables: { slug: category.slug } })
    expect(response.status).toBe(200)
    const body = (await response.json()) as GraphQLBody<CategoriesWithItems>
    expect(body.errors).toBeUndefined()
    expect(body.data.Categories.docs).toEqual([
      {
        name: category.name,
        slug: category.slug,
        items: { docs: [{ name: publishedName, price: 250 }] },
      },
    ])
  })

  it('should hide draft items from anonymous readers asking for drafts', async () => {
    const response = await graphql(
      `
        query ($id: JSON) {
          Items(draft: true, where: { category: { equals: $id } }) {
            docs {
              name
            }
          }
        }
      `,
      { variables: { id: category.id } },
    )
    const body = (await response.json()) as GraphQLBody<{ Items: { docs: { name: string }[] } }>
    expect(body.data.Items.docs.map((doc) => doc.name)).toEqual([publishedName])
  })

  it('should show draft items to editors', async () => {
    const response = await graphql(
      `
        query ($id: JSON) {
          Items(draft: true, where: { category: { equals: $id } }) {
            docs {
              name
            }
          }
        }
      `,
      { variables: { id: category.id }, token: editorToken },
    )
    const body = (await response.json()) as GraphQLBody<{ Items: { docs: { name: string }[] } }>
    expect(body.data.Items.docs.map((doc) => doc.name).sort()).toEqual(
      [draftName, publishedName].sort(),
    )
  })

  it('should refuse an anonymous mutation and store nothing', async () => {
    const name = uniqueName('GraphQL anonymous')
    const response = await graphql(
      `
        mutation ($name: String!) {
          createCategory(data: { name: $name }) {
            id
          }
        }
      `,
      {
        variables: { name },
      },
    )
    const body = (await response.json()) as GraphQLBody<unknown>
    expect(body.errors?.[0]?.message).toMatch(/not allowed/i)
    const { totalDocs } = await payload.count({
      collection: collectionSlugs.categories,
      where: { name: { equals: name } },
    })
    expect(totalDocs).toBe(0)
  })

  it('should let an editor create a category', async () => {
    const name = uniqueName('GraphQL editor')
    const response = await graphql(
      `
        mutation ($name: String!) {
          createCategory(data: { name: $name, _status: published }) {
            slug
          }
        }
      `,
      { variables: { name }, token: editorToken },
    )
    const body = (await response.json()) as GraphQLBody<{ createCategory: { slug: string } }>
    expect(body.errors).toBeUndefined()
    expect(body.data.createCategory.slug).toMatch(/^graphql-editor-/)
  })

  it('should read the site settings anonymously', async () => {
    const response = await graphql('{ SiteSetting { currency } }')
    const body = (await response.json()) as GraphQLBody<{ SiteSetting: { currency: string } }>
    expect(body.errors).toBeUndefined()
    expect(body.data.SiteSetting.currency).toMatch(/^[A-Z]{3}$/)
  })
})

/** How many categories have this name: what a refused mutation must not have changed. */
const countCategoriesNamed = async (name: string) =>
  (
    await payload.count({
      collection: collectionSlugs.categories,
      where: { name: { equals: name } },
    })
  ).totalDocs

describe('GraphQL documents that cannot run', () => {
  it('should refuse a mutation whose selection is a fragment cycle with 400, running nothing', async () => {
    const name = uniqueName('GraphQL cycle')
    const response = await graphql(
      `
        mutation ($name: String!) {
          createCategory(data: { name: $name }) {
            ...A
          }
        }
        fragment A on Category {
          ...B
        }
        fragment B on Category {
          ...A
        }
      `,
      { variables: { name }, token: editorToken },
    )
    expect(response.status).toBe(400)
    const body = (await response.json()) as GraphQLBody<unknown>
    expect(body.data).toBeUndefined()
    expect(body.errors).toEqual([
      {
        message: 'Cannot spread fragment "A" within itself via "B".',
        locations: [
          { line: 8, column: 11 },
          { line: 11, column: 11 },
        ],
      },
    ])
    expect(await countCategoriesNamed(name)).toBe(0)
  })

  it.each([
    [
      'subscription { Items { totalDocs } }',
      'The subscription operation is not supported by the schema.',
    ],
    [
      '{ Items @include { totalDocs } }',
      'Directive "@include" argument "if" of type "Boolean!" is required, but it was not provided.',
    ],
    [
      '{ Items @skip(if: "no") { totalDocs } }',
      'Boolean cannot represent a non boolean value: "no"',
    ],
  ])('should refuse %j with 400 and the spec message alone', async (query, message) => {
    const response = await graphql(query, { token: editorToken })
    expect(response.status).toBe(400)
    const body = (await response.json()) as GraphQLBody<unknown>
    expect(body.errors?.map((error) => error.message)).toEqual([message])
    expect(body.errors?.[0].extensions).toBeUndefined()
  })

  it('should refuse an operationName that names no operation, running nothing', async () => {
    const name = uniqueName('GraphQL operation name')
    const response = await graphqlRoute(
      {
        query: 'mutation Create($name: String!) { createCategory(data: { name: $name }) { id } }',
        variables: { name },
        operationName: 'create',
      },
      editorToken,
    )
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({
      errors: [{ message: 'Unknown operation named "create".' }],
    })
    expect(await countCategoriesNamed(name)).toBe(0)
  })

  it('should run the operation operationName picks from several', async () => {
    const response = await graphqlRoute({
      query:
        'query Items { Items(limit: 1) { totalDocs } } query Settings { SiteSetting { currency } }',
      operationName: 'Settings',
    })
    expect(response.status).toBe(200)
    const body = (await response.json()) as GraphQLBody<{ SiteSetting: { currency: string } }>
    expect(body.errors).toBeUndefined()
    expect(Object.keys(body.data)).toEqual(['SiteSetting'])
  })

  it.each(['PUT', 'PATCH', 'DELETE'] as const)(
    'should answer %s with 405, Allow and a JSON error naming GET and POST',
    async (method) => {
      const response = await rest(
        method,
        '/api/graphql?query=%7B%20Items%20%7B%20totalDocs%20%7D%20%7D',
      )
      expect(response.status).toBe(405)
      expect(response.headers.get('allow')).toBe('GET, POST')
      expect(response.headers.get('content-type')).toMatch(/^application\/json/)
      const body = (await response.json()) as GraphQLBody<unknown>
      expect(body.errors?.[0].message).toMatch(/queries over GET .* over POST/)
    },
  )

  it('should refuse malformed rich text in updateItem with 400 naming the field, keeping the stored text', async () => {
    const item = await payload.create({
      collection: collectionSlugs.items,
      data: {
        name: uniqueName('GraphQL rich text'),
        price: 100,
        category: category.id,
        description: plainTextToRichText('Kept'),
      },
    })
    const response = await graphql(
      'mutation ($id: Int!, $description: JSON) { updateItem(id: $id, data: { description: $description }) { id } }',
      {
        variables: { id: item.id, description: { root: { type: 'root', children: 'x' } } },
        token: editorToken,
      },
    )
    expect(response.status).toBe(400)
    const body = (await response.json()) as GraphQLBody<unknown>
    expect(body.errors?.[0].extensions).toMatchObject({
      name: 'ValidationError',
      statusCode: 400,
      data: {
        errors: [{ path: 'description', message: 'root: children must be a list of nodes.' }],
      },
    })
    const stored = await payload.findByID({ collection: collectionSlugs.items, id: item.id })
    expect(stored.description).toEqual(plainTextToRichText('Kept'))
  })
  it('should refuse a price past its maximum on every API, as REST does', async () => {
    const name = uniqueName('Price past its maximum')
    const data = { name, price: 5e12, category: category.id }
    const overGraphQL = await graphql(
      'mutation ($data: mutationItemInput!) { createItem(data: $data) { id price } }',
      { variables: { data }, token: editorToken },
    )
    expect(overGraphQL.status).toBe(400)
    const body = (await overGraphQL.json()) as GraphQLBody<unknown>
    expect(body.errors?.[0].extensions).toMatchObject({
      name: 'ValidationError',
      statusCode: 400,
      data: { errors: [{ path: 'price' }] },
    })

    const overRest = await rest('POST', '/api/items', { body: data, token: editorToken })
    expect(overRest.status).toBe(400)

    const editor = await payload.find({
      collection: collectionSlugs.users,
      where: { role: { equals: 'editor' } },
      limit: 1,
    })
    await expect(
      payload.create({
        collection: collectionSlugs.items,
        data,
        overrideAccess: false,
        user: { ...editor.docs[0], collection: collectionSlugs.users },
      }),
    ).rejects.toMatchObject({ name: 'ValidationError', status: 400 })

    const { totalDocs } = await payload.count({
      collection: collectionSlugs.items,
      where: { name: { equals: name } },
    })
    expect(totalDocs).toBe(0)
  })
})

/** GraphQL over HTTP's GET: the parameters in the URL, variables as JSON. */
const graphqlOverGet = (
  parameters: { query?: string; variables?: string; operationName?: string },
  headers: Record<string, string> = {},
) => {
  const search = new URLSearchParams(
    Object.entries(parameters).filter((entry): entry is [string, string] => entry[1] !== undefined),
  )
  return handleApiRequest(
    new Request(`http://localhost:3000/api/graphql?${search}`, { method: 'GET', headers }),
  )
}

const answerOf = async (response: Response) => ({
  status: response.status,
  body: (await response.json()) as GraphQLBody<unknown>,
})

describe('GraphQL over GET', () => {
  const draftsQuery = `query ($id: JSON) {
    Items(draft: true, where: { category: { equals: $id } }) { docs { name } }
  }`
  const itemNames = async (response: Response) => {
    const body = (await response.json()) as GraphQLBody<{ Items: { docs: { name: string }[] } }>
    return body.data.Items.docs.map((doc) => doc.name).sort()
  }

  it('should answer a query with variables as POST answers it', async () => {
    const variables = { slug: category.slug }
    const overGet = await graphqlOverGet({
      query: categoriesWithItemsQuery,
      variables: JSON.stringify(variables),
    })
    const overPost = await graphql(categoriesWithItemsQuery, { variables })
    const answer = await answerOf(overGet)
    expect(answer).toEqual(await answerOf(overPost))
    expect(answer.status).toBe(200)
    expect((answer.body as GraphQLBody<CategoriesWithItems>).data.Categories.docs).toEqual([
      {
        name: category.name,
        slug: category.slug,
        items: { docs: [{ name: publishedName, price: 250 }] },
      },
    ])
  })

  it('should run the operation operationName picks', async () => {
    const response = await graphqlOverGet({
      query:
        'query Items { Items(limit: 1) { totalDocs } } query Settings { SiteSetting { currency } }',
      operationName: 'Settings',
    })
    expect(response.status).toBe(200)
    const body = (await response.json()) as GraphQLBody<{ SiteSetting: { currency: string } }>
    expect(body.errors).toBeUndefined()
    expect(Object.keys(body.data)).toEqual(['SiteSetting'])
  })

  it.each([
    [
      'a mutation',
      'mutation Create($name: String!) { createCategory(data: { name: $name }) { id } }',
      undefined,
    ],
    [
      'the mutation operationName picks',
      'query Read { SiteSetting { currency } } mutation Create($name: String!) { createCategory(data: { name: $name }) { id } }',
      'Create',
    ],
  ])(
    'should refuse %s with 405 and Allow: POST, storing nothing',
    async (_, query, operationName) => {
      const name = uniqueName('GraphQL over GET')
      const response = await graphqlOverGet(
        { query, variables: JSON.stringify({ name }), operationName },
        { Authorization: `JWT ${editorToken}` },
      )
      expect(response.status).toBe(405)
      expect(response.headers.get('allow')).toBe('POST')
      expect(await response.json()).toEqual({
        errors: [
          {
            message:
              'Only queries can be sent over GET: send this mutation by POST, as application/json {"query": "…", "variables": {…}}.',
          },
        ],
      })
      expect(await countCategoriesNamed(name)).toBe(0)
    },
  )

  it('should refuse a subscription with 405', async () => {
    const response = await graphqlOverGet({ query: 'subscription { Items { totalDocs } }' })
    expect(response.status).toBe(405)
    expect(response.headers.get('allow')).toBe('POST')
  })

  it.each([
    [{ variables: '{"slug":"x"}' }, /has no query/],
    [{ query: categoriesWithItemsQuery, variables: '{slug: x}' }, /^variables is not valid JSON/],
    [{ query: categoriesWithItemsQuery, variables: '["x"]' }, /^variables must be a JSON object/],
  ])('should refuse %j with 400 and the error shape of the API', async (parameters, message) => {
    const { status, body } = await answerOf(await graphqlOverGet(parameters))
    expect(status).toBe(400)
    expect(body).toEqual({ errors: [{ message: expect.stringMatching(message) }] })
  })

  it.each([
    ['a syntax error', { query: '{ Items { docs { name }' }],
    [
      'an operationName that names no operation',
      { query: 'query A { SiteSetting { currency } }', operationName: 'B' },
    ],
    ['a missing variable', { query: 'query ($id: Int!) { Item(id: $id) { name } }' }],
  ])('should answer %s with the 400 POST answers', async (_, parameters) => {
    const overGet = await answerOf(await graphqlOverGet(parameters))
    const overPost = await answerOf(await graphqlRoute(parameters))
    expect(overGet.status).toBe(400)
    expect(overGet).toEqual(overPost)
  })

  it.each([
    [
      `depth over ${graphQLMaxDepth}`,
      `{ Categories(limit: 1) { docs { ${Array.from({ length: 4 }).reduce<string>(
        (inner) => `items { docs { name category { name ${inner} } } }`,
        '',
      )} } } }`,
      `Query depth limit of ${graphQLMaxDepth} exceeded`,
    ],
    [
      `more than ${graphQLMaxAliases} aliases`,
      `{ ${Array.from({ length: graphQLMaxAliases + 1 }, (_, index) => `a${index}: SiteSetting { siteName }`).join(' ')} }`,
      `Aliases limit of ${graphQLMaxAliases} exceeded`,
    ],
  ])('should refuse a query with %s as POST does', async (_, query, message) => {
    const overGet = await answerOf(await graphqlOverGet({ query }))
    expect(overGet.status).toBe(400)
    expect(JSON.stringify(overGet.body)).toContain(message)
    expect(overGet).toEqual(await answerOf(await graphql(query)))
  })

  it('should apply the same access rules as POST to a signed-in query', async () => {
    const variables = { id: category.id }
    const asEditorOverPost = await itemNames(
      await graphql(draftsQuery, { variables, token: editorToken }),
    )
    expect(asEditorOverPost).toContain(draftName)
    const overGet = (headers?: Record<string, string>) =>
      graphqlOverGet({ query: draftsQuery, variables: JSON.stringify(variables) }, headers)

    expect(await itemNames(await overGet())).toEqual([publishedName])
    expect(await itemNames(await overGet({ Authorization: `JWT ${editorToken}` }))).toEqual(
      asEditorOverPost,
    )
    const fromOwnPage = { Cookie: `payload-token=${editorToken}`, 'Sec-Fetch-Site': 'same-origin' }
    expect(await itemNames(await overGet(fromOwnPage))).toEqual(asEditorOverPost)
  })

  it.each([
    ['a link on another site', { 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'navigate' }],
    [
      'a fetch from another origin',
      { Origin: 'https://attacker.example', 'Sec-Fetch-Site': 'cross-site' },
    ],
    ['a client that does not say where it comes from', {}],
  ])(
    'should refuse a signed-in (cookie) query from %s with 403, running nothing',
    async (_, headers) => {
      const response = await graphqlOverGet(
        { query: draftsQuery, variables: JSON.stringify({ id: category.id }) },
        { Cookie: `payload-token=${editorToken}`, ...headers },
      )
      expect(response.status).toBe(403)
      const body = (await response.json()) as GraphQLBody<unknown>
      expect(body.data).toBeUndefined()
      expect(body.errors?.[0].message).toMatch(/accepted only from/)
    },
  )
})
