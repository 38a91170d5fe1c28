import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { Readable } from 'node:stream'

import { handleEndpoints, type CollectionSlug } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import {
  getCacheRegistry,
  responseCachePlugin,
  serveCacheableRead,
  waitForChangesDelivered,
} from '../../../plugins/responseCache'
import {
  createPluginFixture,
  fixturePostsCollection,
  fixtureUsersCollection,
  type PluginFixture,
} from '../pluginFixture'

/**
 * The read cache in an app of its own: a config with the plugin and two collections, and a plain
 * Node server that asks `serveCacheableRead` first and hands the rest to Payload's REST handler —
 * what a developer writes to use it without this app's server.
 */
const fixtureName = 'read_cache'
const posts = 'posts' as CollectionSlug
const payloadKey = `plugin-fixture-${fixtureName}`

let fixture: PluginFixture
let server: http.Server
let url: string

/** Payload's REST handler for a Node request: what Next.js's route does in an app. */
const answerWithPayload = async (req: http.IncomingMessage, res: http.ServerResponse) => {
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers))
    if (typeof value === 'string') headers.set(name, value)
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
  const response = await handleEndpoints({
    config: fixture.payload.config,
    request: new Request(`http://localhost${req.url}`, {
      method: req.method,
      headers,
      body: hasBody ? (Readable.toWeb(req) as ReadableStream) : undefined,
      duplex: 'half',
    } as RequestInit),
    payloadInstanceCacheKey: payloadKey,
  })
  res.writeHead(response.status, Object.fromEntries(response.headers))
  res.end(Buffer.from(await response.arrayBuffer()))
}

const read = async (path: string) => {
  const response = await fetch(`${url}${path}`)
  return { cache: response.headers.get('x-cache'), body: await response.text() }
}

beforeAll(async () => {
  fixture = await createPluginFixture({
    name: fixtureName,
    config: {
      collections: [
        { ...fixturePostsCollection, access: { read: () => true } },
        fixtureUsersCollection,
      ],
      plugins: [responseCachePlugin()],
    },
  })
  server = http.createServer((req, res) => {
    void (async () => {
      const forward = (request: http.IncomingMessage) => answerWithPayload(request, res)
      const isAnswered = await serveCacheableRead({ payload: fixture.payload, req, res, forward })
      if (!isAnswered) await forward(req)
    })().catch(() => res.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server?.closeAllConnections()
  await new Promise((resolve) => server?.close(resolve))
  await fixture?.dispose()
})

describe('the read cache of responseCachePlugin, in an app of its own', () => {
  it('should cache anonymous reads of its collections and evict them on a change', async () => {
    const post = await fixture.payload.create({ collection: posts, data: { title: 'A' } as never })
    await waitForChangesDelivered(fixture.payload)
    expect((await read(`/api/posts/${post.id}`)).cache).toBe('MISS')
    expect(await read(`/api/posts/${post.id}`)).toEqual({
      cache: 'HIT',
      body: expect.stringContaining('"title":"A"'),
    })
    await fixture.payload.update({ collection: posts, id: post.id, data: { title: 'B' } as never })
    await waitForChangesDelivered(fixture.payload)
    expect(await read(`/api/posts/${post.id}`)).toEqual({
      cache: 'MISS',
      body: expect.stringContaining('"title":"B"'),
    })
  })

  it('should leave auth collections and writes to Payload', async () => {
    expect((await read('/api/users')).cache).toBeNull()
    const created = await fetch(`${url}/api/posts`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'C' }),
    })
    expect(created.headers.get('x-cache')).toBeNull()
  })

  it('should know only the collections it may cache', () => {
    const routes = getCacheRegistry(fixture.payload).reads?.routes
    expect([...(routes?.collections ?? [])]).toEqual(['posts'])
  })
})
