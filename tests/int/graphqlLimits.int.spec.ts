import { sql } from '@payloadcms/db-postgres'
import { GRAPHQL_PLAYGROUND_GET } from '@payloadcms/next/routes'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { collectionSlugs } from '../../collections/slugs'
import type { Category, Item } from '../../payload-types'
import { tooManyDocumentsMessage, unboundedListMessage } from '../../src/config/graphql/graphqlCost'
import { documentLimitMessage } from '../../plugins/graphqlDocumentBudget'
import {
  graphQLDefaultPageSize,
  graphQLMaxAliases,
  graphQLMaxDepth,
  graphQLMaxDocuments,
  maxPage,
  maxPageSize,
} from '../../src/config/graphql/graphqlLimits'
import { graphql } from '../helpers/http'
import { config, uniqueName } from '../helpers/payload'
import { setupEditorSession } from '../helpers/session'

type GraphQLBody = { data?: unknown; errors?: { message: string }[] }

const run = async (query: string, variables?: Record<string, unknown>) => {
  const response = await graphql(query, { variables })
  const body = (await response.json()) as GraphQLBody
  return { status: response.status, body, text: JSON.stringify(body) }
}

const session = setupEditorSession()

describe('GraphQL limits', () => {
  it('should answer the deepest query a frontend needs', async () => {
    const { body } = await run(
      '{ Items(limit: 5) { docs { name category { name image { sizes { card { url } } } } } } }',
    )
    expect(body.errors).toBeUndefined()
    expect(body.data).toBeTruthy()
  })

  it(`should refuse a query deeper than ${graphQLMaxDepth} levels, without running it`, async () => {
    // Categories join their items and items point back at their category: without a depth limit
    // this could walk back and forth through the whole catalog in one request.
    const recursive = Array.from({ length: 4 }).reduce<string>(
      (inner) => `items { docs { name category { name ${inner} } } }`,
      '',
    )
    const { status, body, text } = await run(`{ Categories(limit: 1) { docs { ${recursive} } } }`)
    expect(status).toBe(400)
    expect(body.data ?? null).toBeNull()
    expect(text).toContain(`Query depth limit of ${graphQLMaxDepth} exceeded`)
  })

  it(`should refuse more than ${graphQLMaxAliases} aliases`, async () => {
    const aliases = Array.from(
      { length: graphQLMaxAliases + 1 },
      (_, index) => `a${index}: SiteSetting { siteName }`,
    ).join(' ')
    const { status, text } = await run(`{ ${aliases} }`)
    expect(status).toBe(400)
    expect(text).toContain(`Aliases limit of ${graphQLMaxAliases} exceeded`)
  })

  it('should refuse a query whose cost is over the limit', async () => {
    const expensive = Array.from(
      { length: graphQLMaxAliases - 1 },
      (_, index) =>
        `q${index}: Items(limit: 100) { docs { images { url } category { image { sizes { card { url } } } } } }`,
    ).join(' ')
    const { status, body, text } = await run(`{ ${expensive} }`)
    expect(status).toBe(400)
    expect(body.data ?? null).toBeNull()
    expect(text).toMatch(/complexity/i)
  })

  it(`should refuse a page size outside 1 to ${maxPageSize}, literal or variable`, async () => {
    for (const limit of [maxPageSize + 1, 0, -1, 2147483647]) {
      const literal = await run(`{ Items(limit: ${limit}) { docs { id } } }`)
      expect(literal.status).toBe(400)
      expect(literal.text).toContain(`limit must be a whole number from 1 to ${maxPageSize}.`)
      const variable = await run('query ($limit: Int) { Items(limit: $limit) { docs { id } } }', {
        limit,
      })
      expect(variable.status).toBe(400)
      expect(variable.text).toContain(`limit must be a whole number from 1 to ${maxPageSize}.`)
    }
    const largest = await run(`{ Items(limit: ${maxPageSize}) { docs { id } } }`)
    expect(largest.body.errors).toBeUndefined()
  })

  it('should not serve the playground in production', async () => {
    const playground = GRAPHQL_PLAYGROUND_GET(config)
    const environment = process.env as Record<string, string | undefined>
    const nodeEnv = environment.NODE_ENV
    environment.NODE_ENV = 'production'
    try {
      const response = await playground(new Request('http://localhost/api/graphql-playground'))
      expect(response.status).toBe(404)
    } finally {
      environment.NODE_ENV = nodeEnv
    }
  })
})

/** `category → items(limit) → category → items(limit) …`, `levels` joins deep, from one category. */
const nestedCategoryQuery = (categoryId: number, limit: number, levels: number) =>
  `{ Category(id: ${categoryId}) { ${Array.from({ length: levels }).reduce<string>(
    (inner) => `items(limit: ${limit}) { docs { category { ${inner || 'id'} } } }`,
    '',
  )} } }`

/** What the estimate counts for {@link nestedCategoryQuery}: each level multiplies by `limit`. */
const nestedCategoryDocuments = (limit: number, levels: number) =>
  Array.from({ length: levels }, (_, level) => 2 * limit ** (level + 1)).reduce(
    (total, documents) => total + documents,
    1,
  )

describe('GraphQL work bounded by list sizes', () => {
  let category: Category

  beforeAll(async () => {
    // As in the report: a 12-item category, small next to the work such queries ask for.
    category = await session.payload.create({
      collection: collectionSlugs.categories,
      data: { name: uniqueName('Nested lists'), _status: 'published' },
    })
    for (let index = 0; index < 12; index += 1) {
      await session.payload.create({
        collection: collectionSlugs.items,
        data: {
          name: uniqueName('Nested item'),
          price: 1,
          category: category.id,
          _status: 'published',
        },
        context: { disableRevalidate: true },
      })
    }
  })

  it('should refuse nested lists whose sizes multiply past the document limit, naming both', async () => {
    const estimate = nestedCategoryDocuments(100, 3)
    const { status, body } = await run(nestedCategoryQuery(category.id, 100, 3))
    expect(status).toBe(400)
    expect(body.data ?? null).toBeNull()
    expect(body.errors?.map((error) => error.message)).toContain(
      tooManyDocumentsMessage(estimate, graphQLMaxDocuments),
    )
  })

  it('should refuse two nested pages of 100, which Payload counted as a few dozen points', async () => {
    const { status, text } = await run(nestedCategoryQuery(category.id, 100, 2))
    expect(status).toBe(400)
    expect(text).toContain(
      tooManyDocumentsMessage(nestedCategoryDocuments(100, 2), graphQLMaxDocuments),
    )
  })

  it('should answer the largest nesting within the limit, and refuse the next page size', async () => {
    let limit = 1
    while (nestedCategoryDocuments(limit + 1, 2) <= graphQLMaxDocuments) limit += 1
    expect(limit).toBeGreaterThan(graphQLDefaultPageSize)
    const largest = await run(nestedCategoryQuery(category.id, limit, 2))
    expect(largest.body.errors).toBeUndefined()
    expect(largest.status).toBe(200)
    const tooLarge = await run(nestedCategoryQuery(category.id, limit + 1, 2))
    expect(tooLarge.status).toBe(400)
  })

  it('should count a list without limit at the default page size', async () => {
    // 10 categories with the 100 items of their join's default page: 1,010 documents.
    const withinLimit = await run('{ Categories { docs { name items { docs { name } } } } }')
    expect(withinLimit.body.errors).toBeUndefined()
    const pages = Math.floor(graphQLMaxDocuments / 100)
    const overLimit = await run(
      `{ Categories(limit: ${pages}) { docs { items { docs { id } } } } }`,
    )
    expect(overLimit.status).toBe(400)
    expect(overLimit.text).toContain(
      tooManyDocumentsMessage(pages + pages * 100, graphQLMaxDocuments),
    )
  })

  it(`should refuse a page outside 1 to ${maxPage}, literal or variable, before any SQL`, async () => {
    for (const page of [0, -1, maxPage + 1]) {
      const message = `page must be a whole number from 1 to ${maxPage}.`
      const literal = await run(`{ Items(page: ${page}) { docs { id } } }`)
      expect(literal.status).toBe(400)
      expect(literal.text).toContain(message)
      const variable = await run('query ($page: Int) { Items(page: $page) { docs { id } } }', {
        page,
      })
      expect(variable.status).toBe(400)
      expect(variable.text).toContain(message)
    }
    const first = await run('{ Items(page: 1) { docs { id } } }')
    expect(first.body.errors).toBeUndefined()
  })

  it('should refuse pagination: false without a limit, which reads every match', async () => {
    const { status, text } = await run('{ Items(pagination: false) { docs { id } } }')
    expect(status).toBe(400)
    expect(text).toContain(unboundedListMessage('Items', maxPageSize))
    const bounded = await run('{ Items(pagination: false, limit: 5) { docs { id } } }')
    expect(bounded.body.errors).toBeUndefined()
  })

  it("should refuse a limit of 0 given as a variable's default", async () => {
    const { status, text } = await run(
      'query ($limit: Int = 0) { Items(limit: $limit) { docs { id } } }',
    )
    expect(status).toBe(400)
    expect(text).toContain(`limit must be a whole number from 1 to ${maxPageSize}.`)
  })
})

describe('GraphQL documents counted at run time', () => {
  let category: Category
  let item: Item
  let extraMediaIds: number[] = []

  const joinPageSize = 100

  beforeAll(async () => {
    category = await session.payload.create({
      collection: collectionSlugs.categories,
      data: { name: uniqueName('Large category'), _status: 'published' },
    })
    for (let index = 0; index <= joinPageSize; index += 1) {
      item = await session.payload.create({
        collection: collectionSlugs.items,
        data: { name: uniqueName('Many'), price: 1, category: category.id, _status: 'published' },
        context: { disableRevalidate: true },
      })
    }
    // More images on one item than one request may read: rows written directly, as no client
    // could upload that many in a test's time. The estimate assumes the default page size.
    const inserted = (await session.payload.db.drizzle.execute(
      sql`INSERT INTO media (alt, filename) SELECT 'Budget ' || n, 'budget-' || n || '.jpg' FROM generate_series(1, ${graphQLMaxDocuments + 1}) AS n RETURNING id`,
    )) as unknown as { rows: { id: number }[] }
    extraMediaIds = inserted.rows.map((row) => row.id)
    await session.payload.db.drizzle.execute(
      sql`INSERT INTO items_rels (parent_id, path, media_id, "order") SELECT ${item.id}, 'images', id, row_number() OVER (ORDER BY id) FROM media WHERE id >= ${Math.min(...extraMediaIds)}`,
    )
  })

  afterAll(async () => {
    if (extraMediaIds.length > 0) {
      await session.payload.db.drizzle.execute(
        sql`DELETE FROM media WHERE id >= ${Math.min(...extraMediaIds)} AND filename LIKE 'budget-%'`,
      )
    }
  })

  it('should give a join without limit its default page size, as REST does', async () => {
    const query = `{ Category(id: ${category.id}) { items { docs { id } } } }`
    const { body } = await run(query)
    expect(body.errors).toBeUndefined()
    const data = body.data as { Category: { items: { docs: unknown[] } } }
    expect(data.Category.items.docs).toHaveLength(joinPageSize)
  })

  it('should refuse as a whole a request that reads more documents than the limit', async () => {
    const { status, body } = await run(`{ Item(id: ${item.id}) { name images { id } } }`)
    expect(status).toBe(400)
    expect(body.data ?? null).toBeNull()
    expect(body.errors).toEqual([
      expect.objectContaining({ message: documentLimitMessage(graphQLMaxDocuments) }),
    ])
  })
})
