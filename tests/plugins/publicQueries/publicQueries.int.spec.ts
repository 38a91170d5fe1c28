import {
  handleEndpoints,
  type CollectionAfterReadHook,
  type CollectionSlug,
  type Config,
} from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { getRequestExecutor } from '../../../plugins/payloadInternals'
import { publicQueriesPlugin } from '../../../plugins/publicQueries'
import { createPluginFixture, fixtureUsersCollection, type PluginFixture } from '../pluginFixture'

const fixtureName = 'public_queries'

/** What `statement_timeout` was inside each read, as the read's own hooks saw it. */
const statementTimeoutsSeen: string[] = []

const recordStatementTimeout: CollectionAfterReadHook = async ({ doc, req }) => {
  const executor = await getRequestExecutor(req)
  const { rows } = await executor.execute(`select current_setting('statement_timeout') as value`)
  statementTimeoutsSeen.push(String(rows[0]?.value))
  return doc
}

const publishedOrSignedIn = ({ req }: { req: { user?: unknown } }) =>
  req.user ? true : { _status: { equals: 'published' } }

/** Drafts that anonymous readers may not see, and a relation into them. */
const postsCollection = {
  slug: 'posts',
  access: { read: publishedOrSignedIn },
  versions: { drafts: true },
  hooks: { afterRead: [recordStatementTimeout] },
  fields: [
    { name: 'title', type: 'text' },
    { name: 'category', type: 'relationship', relationTo: 'categories' },
  ],
} satisfies NonNullable<Config['collections']>[number]

const categoriesCollection = {
  slug: 'categories',
  access: { read: publishedOrSignedIn },
  versions: { drafts: true },
  fields: [{ name: 'name', type: 'text' }],
} satisfies NonNullable<Config['collections']>[number]

const posts = 'posts' as CollectionSlug

let fixture: PluginFixture

/** A GET through Payload's REST handler, as an anonymous client. */
const restGet = (path: string) =>
  handleEndpoints({
    config: fixture.payload.config,
    request: new Request(`http://localhost:3000${path}`),
    payloadInstanceCacheKey: `plugin-fixture-${fixtureName}`,
  })

beforeAll(async () => {
  fixture = await createPluginFixture({
    name: fixtureName,
    config: {
      collections: [postsCollection, categoriesCollection, fixtureUsersCollection],
      // Its defaults: a 2 s statement timeout, no `where` check of its own.
      plugins: [publicQueriesPlugin()],
    },
  })
  const post = await fixture.payload.create({
    collection: posts,
    data: { title: 'Published title', _status: 'published' } as never,
  })
  await fixture.payload.update({
    collection: posts,
    id: post.id,
    data: { title: 'Draft title' } as never,
    draft: true,
  })
})

afterAll(async () => {
  await fixture?.dispose()
})

type FoundPosts = { docs: { title: string }[] }

describe('publicQueriesPlugin alone', () => {
  it('should give an anonymous reader the published document, even with draft=true', async () => {
    for (const path of ['/api/posts', '/api/posts?draft=true']) {
      const response = await restGet(path)
      expect(response.status).toBe(200)
      const { docs } = (await response.json()) as FoundPosts
      expect(docs.map((doc) => doc.title)).toEqual(['Published title'])
    }
  })

  it('should still give the server its drafts through the Local API', async () => {
    const { docs } = await fixture.payload.find({ collection: posts, draft: true })
    expect(docs.map((doc) => (doc as unknown as { title: string }).title)).toEqual(['Draft title'])
  })

  it('should run an anonymous read in a transaction with the default 2 s statement timeout', async () => {
    statementTimeoutsSeen.length = 0
    expect((await restGet('/api/posts')).status).toBe(200)
    expect(statementTimeoutsSeen).toEqual(['2s'])
  })

  it('should leave the statement timeout of server reads alone', async () => {
    statementTimeoutsSeen.length = 0
    await fixture.payload.find({ collection: posts })
    expect(statementTimeoutsSeen).toEqual(['0'])
  })

  it('should refuse an anonymous sort through documents the reader cannot all read', async () => {
    const response = await restGet('/api/posts?sort=category.name')
    expect(response.status).toBe(400)
    const body = (await response.json()) as { errors: { message: string }[] }
    expect(body.errors[0].message).toMatch(/orders by categories/)
  })
})
