import pg from 'pg'
import { handleEndpoints, type CollectionSlug } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import {
  getCacheRegistry,
  responseCachePlugin,
  serveCachedEndpoint,
  stopResponseCache,
} from '../../../plugins/responseCache'
import {
  defaultCacheControl,
  defaultChannel,
  listenerApplicationName,
} from '../../../plugins/responseCache/defaults'
import { getPostgresAdapter } from '../../../plugins/payloadInternals'
import { createPluginFixture, fixturePostsCollection, type PluginFixture } from '../pluginFixture'

const fixtureName = 'response_cache'
const posts = 'posts' as CollectionSlug
const feedPath = '/post-titles'

let fixture: PluginFixture
let database: pg.Client
let builds = 0

const getFeed = (headers: Record<string, string> = {}) =>
  handleEndpoints({
    config: fixture.payload.config,
    request: new Request(`http://localhost:3000/api${feedPath}`, { headers }),
    payloadInstanceCacheKey: `plugin-fixture-${fixtureName}`,
  })

const readTitles = async () => ((await (await getFeed()).json()) as { titles: string[] }).titles

/** Retries `check` until it passes: a NOTIFY arrives a moment after its commit. */
const eventually = async (check: () => Promise<void>, timeoutMs = 5_000) => {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    try {
      return await check()
    } catch (error) {
      if (Date.now() > deadline) throw error
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }
}

const listenerConnections = async () => {
  const { rows } = await database.query<{ count: string }>(
    'SELECT count(*) FROM pg_stat_activity WHERE application_name = $1',
    [`${listenerApplicationName}-${process.pid}`],
  )
  return Number(rows[0].count)
}

beforeAll(async () => {
  fixture = await createPluginFixture({
    name: fixtureName,
    config: {
      collections: [fixturePostsCollection],
      // Defaults: every collection watched, the default channel, TTL and Cache-Control.
      plugins: [
        responseCachePlugin({
          endpoints: [
            {
              path: feedPath,
              build: async ({ payload }) => {
                builds += 1
                const found = await payload.find({ collection: posts, sort: 'id', depth: 0 })
                return { titles: found.docs.map((doc) => (doc as { title?: string }).title) }
              },
            },
          ],
        }),
      ],
    },
  })
  const { connectionString } = getPostgresAdapter(fixture.payload).poolOptions
  database = new pg.Client({ connectionString })
  await database.connect()
})

afterAll(async () => {
  await database?.end()
  await fixture?.dispose()
})

describe('responseCachePlugin alone', () => {
  it('should serve the endpoint from memory with a strong ETag, and 304 for it', async () => {
    await fixture.payload.create({ collection: posts, data: { title: 'One' } as never })
    // The create's NOTIFY arrives after its commit and discards a build that ran before it.
    await eventually(async () => {
      const buildsBefore = builds
      await getFeed()
      expect(builds).toBe(buildsBefore)
    })
    const first = await getFeed()
    expect(first.status).toBe(200)
    expect(await first.json()).toEqual({ titles: ['One'] })
    const etag = first.headers.get('etag')
    expect(etag).toMatch(/^"[\w-]+"$/)
    expect(first.headers.get('cache-control')).toBe(defaultCacheControl)

    const buildsBefore = builds
    const again = await getFeed({ 'If-None-Match': etag! })
    expect(again.status).toBe(304)
    expect(builds).toBe(buildsBefore)
  })

  it('should rebuild after a change to a watched collection', async () => {
    const etag = (await getFeed()).headers.get('etag')
    await fixture.payload.create({ collection: posts, data: { title: 'Two' } as never })
    const after = await getFeed({ 'If-None-Match': etag! })
    expect(after.status).toBe(200)
    expect(await after.json()).toEqual({ titles: ['One', 'Two'] })
  })

  it('should rebuild when another replica announces a change on the channel', async () => {
    await readTitles()
    // A change this instance made no hook call for, as on another replica: only NOTIFY tells it.
    await database.query(`UPDATE posts SET title = 'Renamed' WHERE title = 'One'`)
    await database.query('SELECT pg_notify($1, $2)', [
      defaultChannel,
      JSON.stringify({ collection: 'posts' }),
    ])
    await eventually(async () => expect(await readTitles()).toEqual(['Renamed', 'Two']))
  })

  it("should keep the caches per Payload instance, for the app server's fast path", async () => {
    expect([...getCacheRegistry(fixture.payload).caches.keys()]).toEqual([feedPath])
    const served = await serveCachedEndpoint({
      payload: fixture.payload,
      path: feedPath,
      acceptEncoding: 'br',
    })
    expect(served?.status).toBe(200)
    expect(served?.headers['Content-Encoding']).toBe('br')
    expect(await serveCachedEndpoint({ payload: {} as never, path: feedPath })).toBeUndefined()
  })

  it('should hold one LISTEN connection, until stopResponseCache closes it', async () => {
    expect(await listenerConnections()).toBe(1)
    await stopResponseCache(fixture.payload)
    await eventually(async () => expect(await listenerConnections()).toBe(0))
  })
})
