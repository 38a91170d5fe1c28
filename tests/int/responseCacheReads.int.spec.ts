import { describe, expect, it } from 'vitest'

import { collectionSlugs, globalSlugs } from '../../collections/slugs'
import {
  announcePurge,
  getCacheRegistry,
  waitForChangesDelivered,
} from '../../plugins/responseCache'
import { getPostgresAdapter } from '../../plugins/payloadInternals'
import type { Category, Item } from '../../payload-types'
import { getAppMetrics } from '../../src/server/observability/metrics'
import { browserAcceptEncoding, setupApiServer } from '../helpers/apiServer'
import { graphql, rest } from '../helpers/http'
import { uniqueName } from '../helpers/payload'
import { decodeBody, requestRaw, type RawResponse } from '../helpers/rawHttp'
import { setupEditorSession } from '../helpers/session'
import { waitUntil } from '../helpers/waitUntil'
import { catalogCacheChannel } from '../../src/catalog/catalogCacheOptions'

/**
 * The cache of anonymous reads through the app server, in front of the real route handlers: what
 * it answers is what Payload answers, it answers repeats without Payload, and a change evicts
 * exactly the answers it may alter.
 */
const session = setupEditorSession()
const server = setupApiServer()
const { read } = server

const browserHeaders = { 'Accept-Encoding': browserAcceptEncoding }

const postGraphQL = (query: string, headers: Record<string, string> = {}) =>
  requestRaw(`${server.url}/api/graphql`, {
    method: 'POST',
    headers: { ...browserHeaders, 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ query }),
  })

/** What the route handlers answer without any cache, for the same anonymous request. */
const uncached = async (path: string) => (await rest('GET', path)).text()

const bodyOf = (response: RawResponse) => decodeBody(response).toString('utf8')

const readsBy = async (outcome: string) =>
  (await getAppMetrics().responseCacheReads.get()).values.find(
    (value) => value.labels.outcome === outcome,
  )?.value ?? 0

/**
 * A change, once its announcement has reached every replica's listener (this one's included):
 * from then on no replica may answer with what it replaced.
 */
const settled = async <T>(change: Promise<T>): Promise<T> => {
  const result = await change
  expect(await waitForChangesDelivered(session.payload)).toBe(true)
  return result
}

const createCategory = (name = uniqueName('Cache category')): Promise<Category> =>
  settled(
    session.payload.create({
      collection: collectionSlugs.categories,
      data: { name, sortOrder: 5, _status: 'published' },
    }),
  )

const createItem = (category: Category, name = uniqueName('Cache item'), price = 100) =>
  settled(
    session.payload.create({
      collection: collectionSlugs.items,
      data: { name, price, category: category.id, _status: 'published' },
    }),
  ) as Promise<Item>

const itemsOf = (category: Category, depth: number) =>
  `/api/items?where[category][equals]=${category.id}&depth=${depth}&sort=name&limit=100`

/** Reads `path` until it is cached, then returns the cached answer. */
const readCached = async (path: string, headers: Record<string, string> = {}) => {
  await read(path, headers)
  const cached = await read(path, headers)
  expect(cached.headers['x-cache'], path).toBe('HIT')
  return cached
}

describe('anonymous REST reads through the app server', () => {
  it('should answer a repeat from the cache, with exactly the bytes Payload answers', async () => {
    const category = await createCategory()
    await createItem(category)
    const path = itemsOf(category, 1)
    const first = await read(path)
    const second = await read(path)
    expect(first.headers['x-cache']).toBe('MISS')
    expect(second.headers['x-cache']).toBe('HIT')
    expect(second.headers['content-encoding']).toBe('br')
    expect(second.headers['cache-control']).toMatch(/^public, max-age=0, s-maxage=\d+/)
    expect(second.headers.vary).toMatch(/Accept-Encoding/)
    expect(second.headers.etag).toBe(first.headers.etag)
    expect(bodyOf(first)).toBe(await uncached(path))
    expect(bodyOf(second)).toBe(await uncached(path))
  })

  it('should answer If-None-Match with a 304 from the cache, without asking Payload', async () => {
    const category = await createCategory()
    await createItem(category)
    const cached = await readCached(itemsOf(category, 0))
    const missesBefore = await readsBy('MISS')
    const revalidated = await read(itemsOf(category, 0), {
      'If-None-Match': String(cached.headers.etag),
    })
    expect(revalidated.status).toBe(304)
    expect(revalidated.body.length).toBe(0)
    expect(revalidated.headers.etag).toBe(cached.headers.etag)
    expect(await readsBy('MISS')).toBe(missesBefore)
  })

  it('should give each encoding its own strong ETag, the same on every read', async () => {
    const category = await createCategory()
    const path = `/api/categories/${category.id}?depth=0`
    const brotli = await readCached(path)
    const gzip = await readCached(path, { 'Accept-Encoding': 'gzip' })
    const identity = await readCached(path, { 'Accept-Encoding': 'identity' })
    expect(new Set([brotli.headers.etag, gzip.headers.etag, identity.headers.etag]).size).toBe(3)
    expect(String(identity.headers.etag)).toMatch(/^"[\w-]+"$/)
    expect(bodyOf(gzip)).toBe(bodyOf(identity))
  })

  it('should treat parameter order, encoding and parameters Payload ignores as one read', async () => {
    const category = await createCategory()
    await readCached(`/api/items?where[category][equals]=${category.id}&depth=0&sort=name`)
    for (const variant of [
      `/api/items?sort=name&depth=0&where[category][equals]=${category.id}`,
      `/api/items?where%5Bcategory%5D%5Bequals%5D=${category.id}&depth=0&sort=name&utm_source=x`,
    ])
      expect((await read(variant)).headers['x-cache'], variant).toBe('HIT')
  })

  it('should pass signed-in requests by, marked BYPASS, with what they may see', async () => {
    const category = await createCategory()
    const draft = await settled(
      session.payload.create({
        collection: collectionSlugs.items,
        data: { name: uniqueName('Draft only'), price: 1, category: category.id, _status: 'draft' },
        draft: true,
      }),
    )
    const path = `${itemsOf(category, 0)}&draft=true`
    await readCached(path)
    const signedIn = await read(path, { Authorization: `JWT ${session.token}` })
    expect(signedIn.headers['x-cache']).toBe('BYPASS')
    expect(bodyOf(signedIn)).toContain(draft.name)
    const withCookie = await read(path, { Cookie: `theme=dark; payload-token=${session.token}` })
    expect(withCookie.headers['x-cache']).toBe('BYPASS')
    expect(bodyOf(withCookie)).toContain(draft.name)
    const anonymous = await read(path, { Cookie: 'theme=dark' })
    expect(anonymous.headers['x-cache']).toBe('HIT')
    expect(bodyOf(anonymous)).not.toContain(draft.name)
  })

  it('should answer 100 concurrent misses of one read with one call to Payload', async () => {
    const category = await createCategory()
    await createItem(category)
    const path = itemsOf(category, 1)
    const answers = await Promise.all(Array.from({ length: 100 }, () => read(path)))
    const outcomes = answers.map((answer) => answer.headers['x-cache'])
    expect(outcomes.filter((outcome) => outcome === 'MISS')).toHaveLength(1)
    expect(outcomes.filter((outcome) => outcome === 'HIT')).toHaveLength(99)
    expect(new Set(answers.map(bodyOf)).size).toBe(1)
  })

  it('should answer a URL it answered from the cache before exactly as the first hit', async () => {
    // The first hit of a URL goes through every step of the server; later ones are answered
    // ahead of them, by the URL alone. Nothing but the request id and the date may tell them apart.
    const category = await createCategory()
    await createItem(category)
    const path = itemsOf(category, 1)
    const perRequest = new Set(['x-request-id', 'date'])
    const sameFor = ({ headers }: RawResponse) =>
      Object.fromEntries(Object.entries(headers).filter(([name]) => !perRequest.has(name)))
    await read(path)
    const hits = [await read(path), await read(path)]
    expect(sameFor(hits[1])).toEqual(sameFor(hits[0]))
    expect(hits[1].body).toEqual(hits[0].body)
    expect(hits[1].headers['x-request-id']).toMatch(/^[\w-]{36}$/)
    expect(hits[1].headers['content-security-policy']).toBe(
      hits[0].headers['content-security-policy'],
    )
    // The same read by another URL (a parameter Payload ignores): its first 304 is the steps'.
    const conditional = { 'If-None-Match': String(hits[0].headers.etag) }
    const otherUrl = `${path}&utm_source=test`
    const notModified = [await read(otherUrl, conditional), await read(otherUrl, conditional)]
    expect(notModified.map((answer) => answer.status)).toEqual([304, 304])
    expect(sameFor(notModified[1])).toEqual(sameFor(notModified[0]))
    const hitsBefore = await readsBy('HIT')
    const requestId = 'client-chosen-id-1234'
    const identified = await read(path, { 'X-Request-Id': requestId })
    expect(identified.headers['x-request-id']).toBe(requestId)
    expect(await readsBy('HIT')).toBe(hitsBefore + 1)
    // Credentials always take the steps' way, whatever the URL.
    expect((await read(path, { Authorization: `JWT ${session.token}` })).headers['x-cache']).toBe(
      'BYPASS',
    )
  })

  it('should answer HEAD from the cache without a body', async () => {
    const category = await createCategory()
    const cached = await readCached(itemsOf(category, 0))
    const head = await requestRaw(`${server.url}${itemsOf(category, 0)}`, {
      method: 'HEAD',
      headers: browserHeaders,
    })
    expect(head.status).toBe(200)
    expect(head.headers['x-cache']).toBe('HIT')
    expect(head.headers.etag).toBe(cached.headers.etag)
    expect(head.body.length).toBe(0)
  })

  it('should not keep refusals and errors', async () => {
    for (const path of ['/api/items/999999999', '/api/items?limit=not-a-number&where[x]=1']) {
      const first = await read(path)
      const second = await read(path)
      expect(first.status, path).toBeGreaterThanOrEqual(400)
      expect(second.headers['x-cache'], path).toBe('MISS')
    }
  })
})

describe('what a change evicts', () => {
  it("should keep a list of C's items at depth 0 when another category changes", async () => {
    const [c, d] = [await createCategory(), await createCategory()]
    await createItem(c)
    await readCached(itemsOf(c, 0))
    await settled(
      session.payload.update({
        collection: collectionSlugs.categories,
        id: d.id,
        data: { name: uniqueName('Renamed D') },
      }),
    )
    expect((await read(itemsOf(c, 0))).headers['x-cache']).toBe('HIT')
  })

  it("should evict every answer that shows C's name when C is renamed", async () => {
    const c = await createCategory()
    await createItem(c)
    await readCached(itemsOf(c, 1))
    await readCached(`/api/categories/${c.id}`)
    await readCached(itemsOf(c, 0))
    const name = uniqueName('Renamed C')
    await settled(
      session.payload.update({ collection: collectionSlugs.categories, id: c.id, data: { name } }),
    )
    for (const path of [itemsOf(c, 1), `/api/categories/${c.id}`]) {
      const answer = await read(path)
      expect(answer.headers['x-cache'], path).toBe('MISS')
      expect(bodyOf(answer), path).toContain(name)
    }
    // At depth 0 the list names its category by id only: C's name is not in it.
    expect((await read(itemsOf(c, 0))).headers['x-cache']).toBe('HIT')
  })

  it('should evict a list that a new or moved item enters, and the one it leaves', async () => {
    const [c, d] = [await createCategory(), await createCategory()]
    const moving = await createItem(c)
    await readCached(itemsOf(c, 0))
    await readCached(itemsOf(d, 0))
    await settled(
      session.payload.update({
        collection: collectionSlugs.items,
        id: moving.id,
        data: { category: d.id },
      }),
    )
    expect(bodyOf(await read(itemsOf(c, 0)))).toBe(await uncached(itemsOf(c, 0)))
    expect(bodyOf(await read(itemsOf(d, 0)))).toContain(moving.name)
    await readCached(itemsOf(c, 0))
    const added = await createItem(c)
    expect(bodyOf(await read(itemsOf(c, 0)))).toContain(added.name)
  })

  it('should keep a list when an item outside it changes a field the list does not read', async () => {
    const [c, d] = [await createCategory(), await createCategory()]
    await createItem(c)
    const elsewhere = await createItem(d)
    await readCached(itemsOf(c, 0))
    await settled(
      session.payload.update({
        collection: collectionSlugs.items,
        id: elsewhere.id,
        data: { price: 12345 },
      }),
    )
    expect((await read(itemsOf(c, 0))).headers['x-cache']).toBe('HIT')
  })

  it('should follow a relationship in where: changing a slug evicts lists filtered by it', async () => {
    const c = await createCategory()
    await createItem(c)
    const bySlug = `/api/items?where[category.slug][equals]=${encodeURIComponent(String(c.slug))}&depth=0`
    const before = await readCached(bySlug)
    expect(JSON.parse(bodyOf(before)).totalDocs).toBe(1)
    await settled(
      session.payload.update({
        collection: collectionSlugs.categories,
        id: c.id,
        data: { slug: `${c.slug}-moved` },
      }),
    )
    const after = await read(bySlug)
    expect(after.headers['x-cache']).toBe('MISS')
    expect(JSON.parse(bodyOf(after)).totalDocs).toBe(0)
  })

  it('should show a publish and an unpublish to anonymous readers at once', async () => {
    const c = await createCategory()
    const item = await createItem(c)
    await readCached(`/api/items/${item.id}`)
    await readCached(itemsOf(c, 0))
    await settled(
      session.payload.update({
        collection: collectionSlugs.items,
        id: item.id,
        data: { _status: 'draft' },
      }),
    )
    expect((await read(`/api/items/${item.id}`)).status).toBe(404)
    expect(bodyOf(await read(itemsOf(c, 0)))).not.toContain(item.name)
    await settled(
      session.payload.update({
        collection: collectionSlugs.items,
        id: item.id,
        data: { _status: 'published' },
      }),
    )
    expect(bodyOf(await read(itemsOf(c, 0)))).toContain(item.name)
  })

  it('should evict the site settings when they change', async () => {
    const path = '/api/globals/site-settings'
    await readCached(path)
    const siteName = uniqueName('Site')
    await settled(
      session.payload.updateGlobal({ slug: globalSlugs.siteSettings, data: { siteName } }),
    )
    const after = await read(path)
    expect(after.headers['x-cache']).toBe('MISS')
    expect(bodyOf(after)).toContain(siteName)
  })
})

describe('anonymous GraphQL reads through the app server', () => {
  it('should answer a repeated query from the cache, as Payload answers it', async () => {
    const c = await createCategory()
    await createItem(c)
    const query = `{ Items(where: { category: { equals: ${c.id} } }, sort: "name") { docs { id name category { name } } } }`
    const first = await postGraphQL(query)
    const second = await postGraphQL(query.replace(/ +/g, '  '))
    expect(first.headers['x-cache']).toBe('MISS')
    expect(second.headers['x-cache']).toBe('HIT')
    expect(bodyOf(second)).toBe(await (await graphql(query)).text())
    const name = uniqueName('GraphQL renamed')
    await settled(
      session.payload.update({ collection: collectionSlugs.categories, id: c.id, data: { name } }),
    )
    const renamed = await postGraphQL(query)
    expect(renamed.headers['x-cache']).toBe('MISS')
    expect(bodyOf(renamed)).toContain(name)
  })

  it('should never keep mutations, errors or signed-in queries', async () => {
    const mutation = await postGraphQL('mutation { logoutUser }')
    expect(mutation.headers['x-cache']).toBe('BYPASS')
    const failing = '{ Items { docs { noSuchField } } }'
    await postGraphQL(failing)
    expect((await postGraphQL(failing)).headers['x-cache']).toBe('MISS')
    const signedIn = await postGraphQL('{ Items { totalDocs } }', {
      Authorization: `JWT ${session.token}`,
    })
    expect(signedIn.headers['x-cache']).toBe('BYPASS')
  })
})

describe('the catalog document through the app server', () => {
  it('should say whether it was fresh in memory: MISS after a change, HIT after that', async () => {
    await read('/api/catalog')
    expect((await read('/api/catalog')).headers['x-cache']).toBe('HIT')
    await createCategory()
    expect((await read('/api/catalog')).headers['x-cache']).toBe('MISS')
    expect((await read('/api/catalog')).headers['x-cache']).toBe('HIT')
  })
})

describe('purging the cache (npm run cache:purge)', () => {
  it('should make every replica drop what it cached, and refill on the next read', async () => {
    const category = await createCategory()
    await readCached(itemsOf(category, 0))
    const store = getCacheRegistry(session.payload).reads?.store
    expect(store?.stats().entries).toBeGreaterThan(0)
    const { connectionString } = getPostgresAdapter(session.payload).poolOptions
    await announcePurge({
      connectionString: String(connectionString),
      channel: catalogCacheChannel,
    })
    await waitUntil('the purge reaching this replica', () => store?.stats().entries === 0)
    expect((await read(itemsOf(category, 0))).headers['x-cache']).toBe('MISS')
  })
})
