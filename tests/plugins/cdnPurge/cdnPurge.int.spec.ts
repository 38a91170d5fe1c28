import http from 'node:http'
import type { AddressInfo } from 'node:net'

import { handleEndpoints, type CollectionSlug } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { cdnPurgePlugin, purgeFromCdn, stopCdnPurge } from '../../../plugins/cdnPurge'
import { responseCachePlugin, waitForChangesDelivered } from '../../../plugins/responseCache'
import { createPluginFixture, fixturePostsCollection, type PluginFixture } from '../pluginFixture'
import { waitUntil } from '../../helpers/waitUntil'

/**
 * The purge plugin with the response cache in a config of their own (no app schema), purging an
 * HTTP cache stand-in that records each PURGE: what a change asks the edge to drop, once.
 */
const fixtureName = 'cdn_purge'
const posts = 'posts' as CollectionSlug
const feedPath = '/post-titles'

type RecordedPurge = { method?: string; url?: string; keys: string[] }

let fixture: PluginFixture
let cache: http.Server
const purges: RecordedPurge[] = []

const waitForPurges = async (count: number) => {
  await waitUntil(`${count} purges`, () => purges.length >= count, { timeoutMs: 5_000 })
  // A second replica's purge, or a duplicate, would arrive within the same batch window.
  await new Promise((resolve) => setTimeout(resolve, 200))
}

beforeAll(async () => {
  cache = http.createServer((req, res) => {
    const header = req.headers['xkey-purge']
    purges.push({ method: req.method, url: req.url, keys: String(header ?? '').split(' ') })
    res.end('Purged')
  })
  await new Promise<void>((resolve) => cache.listen(0, '127.0.0.1', resolve))
  const cacheUrl = `http://127.0.0.1:${(cache.address() as AddressInfo).port}`
  fixture = await createPluginFixture({
    name: fixtureName,
    config: {
      collections: [fixturePostsCollection],
      plugins: [
        responseCachePlugin({
          endpoints: [
            {
              path: feedPath,
              build: async ({ payload }) => ({
                titles: (await payload.find({ collection: posts, depth: 0 })).docs.length,
              }),
            },
          ],
          purgeEdge: purgeFromCdn,
        }),
        cdnPurgePlugin({ targets: { httpCaches: [cacheUrl] }, batchWindowMs: 20 }),
      ],
    },
  })
})

afterAll(async () => {
  await fixture?.dispose()
  cache?.closeAllConnections()
  await new Promise((resolve) => cache?.close(resolve))
})

describe('cdnPurgePlugin with the response cache', () => {
  it('should tag the cached endpoint with the keys of everything it is built from', async () => {
    const response = await handleEndpoints({
      config: fixture.payload.config,
      request: new Request(`http://localhost:3000/api${feedPath}`),
      payloadInstanceCacheKey: `plugin-fixture-${fixtureName}`,
    })
    expect(response.headers.get('surrogate-key')).toBe('c:posts d:posts:*')
    expect(response.headers.get('cache-tag')).toBe('c:posts,d:posts:*')
  })

  it('should purge a created document and every list of its collection, once, after commit', async () => {
    purges.length = 0
    const post = await fixture.payload.create({
      collection: posts,
      data: { title: 'One' } as never,
    })
    await waitForPurges(1)
    expect(purges).toEqual([
      { method: 'PURGE', url: '/', keys: [`d:posts:${post.id}`, 'd:posts:*', 'l:posts'] },
    ])
  })

  it('should purge the lists that read a changed field, and the document', async () => {
    const post = await fixture.payload.create({
      collection: posts,
      data: { title: 'Two' } as never,
    })
    await waitForPurges(1)
    purges.length = 0
    await fixture.payload.update({
      collection: posts,
      id: post.id,
      data: { title: 'Deux' } as never,
    })
    await waitForPurges(1)
    // Payload changes updatedAt on every update: lists sorted by it may reorder too.
    expect(purges.map((purge) => [...purge.keys].sort())).toEqual([
      [`d:posts:${post.id}`, 'd:posts:*', 'l:posts:*', 'l:posts:title', 'l:posts:updatedAt'].sort(),
    ])
  })

  it('should send the changes of one transaction as one purge', async () => {
    const created = []
    for (const title of ['a', 'b', 'c', 'd'])
      created.push(await fixture.payload.create({ collection: posts, data: { title } as never }))
    // However many calls the creates made: every one of them purged.
    expect(await waitForChangesDelivered(fixture.payload)).toBe(true)
    await waitForPurges(1)
    purges.length = 0
    // One bulk update: four announcements, delivered together when it commits.
    await fixture.payload.update({
      collection: posts,
      where: { id: { in: created.map((post) => post.id) } },
      data: { title: 'Bulk' } as never,
    })
    await waitForPurges(1)
    expect(purges).toHaveLength(1)
    expect(purges[0].keys).toEqual(
      expect.arrayContaining([...created.map((post) => `d:posts:${post.id}`), 'l:posts:title']),
    )
  })

  it('should send what is queued when stopped, without waiting for the batch window', async () => {
    purges.length = 0
    const post = await fixture.payload.create({
      collection: posts,
      data: { title: 'Last' } as never,
    })
    expect(await waitForChangesDelivered(fixture.payload)).toBe(true)
    // Queued now, for a batch window of 20 ms; the process is about to exit.
    expect(purges).toEqual([])
    await stopCdnPurge(fixture.payload)
    expect(purges.map((purge) => purge.keys)).toEqual([
      [`d:posts:${post.id}`, 'd:posts:*', 'l:posts'],
    ])
  })
})
