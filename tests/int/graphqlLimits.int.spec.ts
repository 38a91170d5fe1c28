import { GRAPHQL_PLAYGROUND_GET } from '@payloadcms/next/routes'
import { describe, expect, it } from 'vitest'

import { graphQLMaxAliases, graphQLMaxDepth, maxPageSize } from '../../src/security/graphqlLimits'
import { graphql } from '../helpers/http'
import { config } from '../helpers/payload'
import { setupEditorSession } from '../helpers/session'

type GraphQLBody = { data?: unknown; errors?: { message: string }[] }

const run = async (query: string, variables?: Record<string, unknown>) => {
  const response = await graphql(query, { variables })
  const body = (await response.json()) as GraphQLBody
  return { status: response.status, body, text: JSON.stringify(body) }
}

setupEditorSession()

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
