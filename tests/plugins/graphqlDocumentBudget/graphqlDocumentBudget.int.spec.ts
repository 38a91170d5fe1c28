import { configToSchema } from '@payloadcms/graphql'
import { graphql } from 'graphql'
import { createLocalReq, type CollectionSlug } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import {
  documentLimitErrorName,
  graphQLDocumentBudgetPlugin,
} from '../../../plugins/graphqlDocumentBudget'
import { defaultMaxDocuments } from '../../../plugins/graphqlDocumentBudget/defaults'
import {
  createPluginFixture,
  fixturePostsCollection,
  fixtureUsersCollection,
  type PluginFixture,
} from '../pluginFixture'

const posts = 'posts' as CollectionSlug
const maxDocuments = 5

let fixture: PluginFixture
let schema: ReturnType<typeof configToSchema>['schema']

beforeAll(async () => {
  fixture = await createPluginFixture({
    name: 'graphql_document_budget',
    config: {
      // Anyone may read posts, so the reads are a client's own, with access applied.
      collections: [
        { ...fixturePostsCollection, access: { read: () => true } },
        fixtureUsersCollection,
      ],
      plugins: [graphQLDocumentBudgetPlugin({ maxDocuments })],
    },
  })
  for (let index = 0; index < 8; index++) {
    await fixture.payload.create({ collection: posts, data: { title: `Post ${index}` } as never })
  }
  schema = configToSchema(fixture.payload.config).schema
})

afterAll(async () => {
  await fixture?.dispose()
})

/** Runs a query against Payload's GraphQL schema as its GraphQL route does, anonymously. */
const runQuery = async (source: string) => {
  const req = await createLocalReq({}, fixture.payload)
  req.payloadAPI = 'GraphQL'
  return graphql({ schema, source, contextValue: { req, headers: {} } })
}

describe('graphQLDocumentBudgetPlugin alone', () => {
  it('should answer a GraphQL request that reads no more documents than the budget', async () => {
    const result = await runQuery('{ Posts(limit: 5) { docs { title } } }')
    expect(result.errors).toBeUndefined()
    expect((result.data?.Posts as { docs: unknown[] }).docs).toHaveLength(5)
  })

  it('should refuse a GraphQL request that reads more documents than the budget', async () => {
    const result = await runQuery('{ Posts(limit: 6) { docs { title } } }')
    expect(result.data?.Posts ?? null).toBeNull()
    expect(result.errors?.[0]?.originalError).toMatchObject({
      name: documentLimitErrorName,
      status: 400,
    })
    expect(result.errors?.[0]?.message).toContain(`more than ${maxDocuments} documents`)
  })

  it('should count every list of one request together', async () => {
    const result = await runQuery(
      '{ first: Posts(limit: 3) { docs { title } } second: Posts(limit: 3) { docs { title } } }',
    )
    expect(result.errors?.[0]?.originalError).toMatchObject({ name: documentLimitErrorName })
  })

  it('should not count the Local API', async () => {
    const found = await fixture.payload.find({ collection: posts, limit: 8, overrideAccess: false })
    expect(found.docs).toHaveLength(8)
  })

  it('should default to a budget of 2000 documents', () => {
    expect(defaultMaxDocuments).toBe(2000)
  })
})
