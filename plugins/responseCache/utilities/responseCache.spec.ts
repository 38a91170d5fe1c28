import zlib from 'node:zlib'

import { describe, expect, it } from 'vitest'

import type { CacheChange } from '../types'
import {
  createFragmentHasher,
  createResponseCache,
  toCacheEntry,
  toCachedResponse,
  negotiateContentEncoding,
  type CachedResponse,
  toFragmentedCacheEntry,
  toJsonCacheEntry,
  toOwnBytes,
  type BuildResult,
  type CacheEvent,
} from './responseCache'

const setup = ({ ttlMs = 1000, graceMs = 500 } = {}) => {
  let clock = 0
  let builds = 0
  let release: (() => void) | undefined
  let isBlocking = false
  let isFailing = false
  const events: CacheEvent['type'][] = []
  /** What each build was handed: its changes, or 'everything' for a build from scratch. */
  const handed: (readonly CacheChange[] | 'everything')[] = []
  const cache = createResponseCache({
    ttlMs,
    graceMs,
    now: () => clock,
    onEvent: (event) => events.push(event.type),
    build: async (changes) => {
      builds += 1
      handed.push(changes ?? 'everything')
      const version = builds
      if (isBlocking) await new Promise<void>((resolve) => (release = resolve))
      if (isFailing) throw new Error('build failed')
      return { document: { version } }
    },
  })
  return {
    cache,
    events,
    handed,
    fail: (isOn: boolean) => (isFailing = isOn),
    builds: () => builds,
    advance: (ms: number) => (clock += ms),
    block: () => (isBlocking = true),
    unblock: () => {
      isBlocking = false
      release?.()
    },
  }
}

const versionOf = (entry: { json: Buffer }) =>
  (JSON.parse(entry.json.toString()) as { version: number }).version

describe('createResponseCache', () => {
  it('should build once for 100 concurrent misses', async () => {
    const { cache, builds } = setup()
    const entries = await Promise.all(Array.from({ length: 100 }, () => cache.get()))
    expect(builds()).toBe(1)
    expect(new Set(entries.map((entry) => entry.etag)).size).toBe(1)
  })

  it('should serve from memory within the TTL and rebuild after it', async () => {
    const { cache, builds, advance } = setup({ ttlMs: 1000, graceMs: 0 })
    await cache.get()
    advance(999)
    await cache.get()
    expect(builds()).toBe(1)
    advance(2)
    expect(versionOf(await cache.get())).toBe(2)
  })

  it('should make the first reader after an invalidation wait, and serve others the previous version meanwhile', async () => {
    const { cache, builds, block, unblock } = setup()
    await cache.get()
    block()
    cache.invalidate('local')
    const first = cache.get()
    expect(versionOf(await cache.get())).toBe(1)
    expect(versionOf(await cache.get())).toBe(1)
    expect(builds()).toBe(2)
    unblock()
    expect(versionOf(await first)).toBe(2)
    expect(versionOf(await cache.get())).toBe(2)
  })

  it('should make everyone wait for the rebuild once the grace window has passed', async () => {
    const { cache, advance, block, unblock } = setup({ graceMs: 100 })
    await cache.get()
    block()
    cache.invalidate('notification')
    const first = cache.get()
    advance(101)
    const second = cache.get()
    unblock()
    expect(versionOf(await first)).toBe(2)
    expect(versionOf(await second)).toBe(2)
  })

  it('should not take a build that started before an invalidation as fresh', async () => {
    const { cache, block, unblock, builds } = setup({ graceMs: 0 })
    block()
    const first = cache.get()
    cache.invalidate('notification')
    unblock()
    expect(versionOf(await first)).toBe(1)
    expect(versionOf(await cache.get())).toBe(2)
    expect(builds()).toBe(2)
  })

  it('should only peek at fresh entries', async () => {
    const { cache } = setup()
    expect(cache.peekFresh()).toBeUndefined()
    await cache.get()
    expect(cache.peekFresh()).toBeDefined()
    cache.invalidate('reconnect')
    expect(cache.peekFresh()).toBeUndefined()
  })
})

describe('createResponseCache changes', () => {
  const item = (id: number): CacheChange => ({ collection: 'items', id })

  it('should build from scratch first, then hand each build the changes since the previous one', async () => {
    const { cache, handed } = setup()
    await cache.get()
    cache.invalidate('local', item(1))
    cache.invalidate('notification', item(1))
    cache.invalidate('notification', { global: 'header' })
    await cache.get()
    expect(handed).toEqual(['everything', [item(1), item(1), { global: 'header' }]])
  })

  it('should hand changes that arrive during a build to the next build, and not take it as fresh', async () => {
    const { cache, handed, block, unblock } = setup({ graceMs: 0 })
    await cache.get()
    cache.invalidate('local', item(1))
    block()
    const running = cache.get()
    cache.invalidate('notification', item(2))
    cache.invalidate('notification', item(3))
    unblock()
    await running
    await cache.get()
    expect(handed).toEqual(['everything', [item(1)], [item(2), item(3)]])
  })

  it('should build from scratch after an unattributable change, a reconnect or a failed build', async () => {
    const { cache, handed, fail } = setup()
    await cache.get()
    cache.invalidate('local', item(1))
    cache.invalidate('notification')
    await cache.get()
    cache.invalidate('reconnect')
    cache.invalidate('local', item(2))
    await cache.get()
    cache.invalidate('local', item(3))
    fail(true)
    await expect(cache.get()).rejects.toThrow('build failed')
    fail(false)
    await cache.get()
    cache.invalidate('local', item(4))
    await cache.get()
    expect(handed).toEqual([
      'everything',
      'everything',
      'everything',
      [item(3)],
      'everything',
      [item(4)],
    ])
  })

  it('should build from scratch once the last full build is older than the TTL', async () => {
    const { cache, handed, advance } = setup({ ttlMs: 1000, graceMs: 0 })
    await cache.get()
    advance(600)
    cache.invalidate('local', item(1))
    await cache.get()
    advance(600)
    cache.invalidate('local', item(2))
    await cache.get()
    expect(handed).toEqual(['everything', [item(1)], 'everything'])
  })

  it('should expire an incrementally rebuilt entry one TTL after the last full build', async () => {
    const { cache, handed, advance } = setup({ ttlMs: 1000, graceMs: 0 })
    await cache.get()
    advance(900)
    cache.invalidate('local', item(1))
    await cache.get()
    // 200 ms after the incremental build, but 1100 ms after the full one: a change lost before it
    // must not outlive the TTL because later changes keep arriving.
    advance(200)
    expect(cache.peekFresh()).toBeUndefined()
    await cache.get()
    expect(handed).toEqual(['everything', [item(1)], 'everything'])
  })

  /** `isIncremental` of the first build and of the one after a change to item 1. */
  const reportedRebuilds = async (build: () => Promise<BuildResult>) => {
    const rebuilds: boolean[] = []
    const cache = createResponseCache({
      ttlMs: 1000,
      graceMs: 0,
      onEvent: (event) => {
        if (event.type === 'rebuild') rebuilds.push(event.isIncremental)
      },
      build,
    })
    await cache.get()
    cache.invalidate('local', item(1))
    await cache.get()
    return rebuilds
  }

  it('should report whether a rebuild was incremental', async () => {
    expect(await reportedRebuilds(async () => ({ fragments: [Buffer.from('{}')] }))).toEqual([
      false,
      true,
    ])
  })

  it('should never report a plain build, which reads everything anyway, as incremental', async () => {
    expect(await reportedRebuilds(async () => ({ document: {} }))).toEqual([false, false])
  })
})

describe('the bytes an entry keeps', () => {
  it('should hold only its own bytes, not the larger buffers they were cut from', () => {
    const slice = Buffer.alloc(16 * 1024).subarray(10, 110)
    const own = toOwnBytes(slice)
    expect(own.equals(slice)).toBe(true)
    expect(own.buffer.byteLength).toBe(100)
    const entry = toJsonCacheEntry(Buffer.concat([Buffer.from('{"a":'), Buffer.from('1}')]), 0)
    for (const bytes of [entry.json, entry.encoded('br'), entry.encoded('gzip')])
      expect(bytes.buffer.byteLength).toBe(bytes.length)
  })
})

describe('toFragmentedCacheEntry', () => {
  const parts = ['{"a":', '[1,2]', ',"b":', '"x"', '}'].map((part) => Buffer.from(part))

  it('should serve the fragments concatenated, with an ETag that depends on every fragment', () => {
    const entry = toFragmentedCacheEntry(parts, 0)
    expect(entry.json.toString()).toBe('{"a":[1,2],"b":"x"}')
    expect(entry.etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/)
    const changed = [...parts.slice(0, 3), Buffer.from('"y"'), parts[4]]
    expect(toFragmentedCacheEntry(changed, 0).etag).not.toBe(entry.etag)
  })

  it('should give equal fragments the same ETag, whichever build made them', () => {
    const copies = parts.map((part) => Buffer.from(part))
    expect(toFragmentedCacheEntry(copies, 5).etag).toBe(toFragmentedCacheEntry(parts, 0).etag)
  })

  it('should hash a reused fragment object only once', () => {
    const hasher = createFragmentHasher()
    const first = hasher(parts[1])
    expect(hasher(parts[1])).toBe(first)
    expect(hasher(Buffer.from('[1,2]')).equals(first)).toBe(true)
  })
})

/** The bytes a client reads once it has undone the answer's Content-Encoding. */
const decode = (response: CachedResponse): Buffer => {
  const body = response.body as Buffer
  switch (response.headers['Content-Encoding']) {
    case 'br':
      return zlib.brotliDecompressSync(body)
    case 'gzip':
      return zlib.gunzipSync(body)
    case undefined:
      return body
    default:
      throw new Error(`unexpected encoding ${response.headers['Content-Encoding']}`)
  }
}

describe('negotiateContentEncoding', () => {
  it.each([
    ['gzip, deflate, br, zstd', 'br'],
    ['br', 'br'],
    ['gzip', 'gzip'],
    ['GZIP', 'gzip'],
    ['gzip, br;q=0', 'gzip'],
    ['gzip;q=1, br;q=0.5', 'gzip'],
    ['br;q=0.2, gzip;q=0.8, identity;q=0.1', 'gzip'],
    ['*', 'br'],
    ['br;q=0, *', 'gzip'],
    ['*;q=0.5, identity', undefined],
    ['gzip;q=0.001, identity;q=0.5', undefined],
    ['deflate', undefined],
    ['zstd', undefined],
    ['x-gzip', undefined],
    ['identity', undefined],
    ['br;q=0, gzip;q=0.000', undefined],
    ['identity;q=0', undefined],
    ['*;q=0', undefined],
    ['', undefined],
    [undefined, undefined],
  ])('should answer Accept-Encoding %j with %s', (acceptEncoding, expected) => {
    expect(negotiateContentEncoding(acceptEncoding)).toBe(expected)
    // Asked again, from what the first negotiation remembered.
    expect(negotiateContentEncoding(acceptEncoding)).toBe(expected)
  })

  it('should still negotiate once it remembers as many values as it may', () => {
    for (let index = 0; index < 300; index++) negotiateContentEncoding(`gzip;q=0.${index}`)
    expect(negotiateContentEncoding('br;q=0.1, gzip;q=0.9')).toBe('gzip')
    expect(negotiateContentEncoding(`${'x'.repeat(300)}, br`)).toBe('br')
  })
})

describe('toCachedResponse', () => {
  const entry = toCacheEntry({ hello: 'world'.repeat(100) }, 0)

  it('should answer a matching If-None-Match with 304 and no body', () => {
    const response = toCachedResponse(
      entry,
      { ifNoneMatch: `"other", ${entry.etag}`, mayEncode: true },
      'public',
    )
    expect(response).toEqual({
      status: 304,
      headers: { ETag: entry.etag, 'Cache-Control': 'public', Vary: 'Accept-Encoding' },
    })
    const weak = toCachedResponse(entry, { ifNoneMatch: `W/${entry.etag}`, mayEncode: true }, 'x')
    expect(weak.status).toBe(304)
    expect(toCachedResponse(entry, { ifNoneMatch: '*', mayEncode: true }, 'x').status).toBe(304)
  })

  it.each([
    'gzip, deflate, br, zstd',
    'gzip',
    'br',
    'deflate',
    'zstd',
    'identity',
    '*',
    'gzip;q=0.5, br;q=0.9',
    'br;q=0, gzip;q=0',
    '',
    undefined,
  ])('should apply exactly one encoding for %j, whose bytes decode to the document', (header) => {
    for (const mayEncode of [true, false]) {
      const response = toCachedResponse(entry, { acceptEncoding: header, mayEncode }, 'public')
      expect(response.status).toBe(200)
      expect(decode(response).equals(entry.json)).toBe(true)
      expect(response.headers['Content-Length']).toBe(String(response.body?.length))
      expect(response.headers.Vary).toBe('Accept-Encoding')
    }
  })

  it('should send only identity bytes where it may not encode', () => {
    const response = toCachedResponse(
      entry,
      { acceptEncoding: 'gzip, deflate, br, zstd', mayEncode: false },
      'public',
    )
    expect(response.headers['Content-Encoding']).toBeUndefined()
    expect(response.body?.equals(entry.json)).toBe(true)
    expect(response.headers.ETag).toBe(entry.etag)
  })

  it('should give each encoding its own strong ETag, and revalidate each against its own', () => {
    const tags = new Map(
      ['br', 'gzip', 'identity'].map((acceptEncoding) => {
        const response = toCachedResponse(entry, { acceptEncoding, mayEncode: true }, 'public')
        return [acceptEncoding, response.headers.ETag]
      }),
    )
    expect(new Set(tags.values()).size).toBe(3)
    expect(tags.get('identity')).toBe(entry.etag)
    for (const [acceptEncoding, etag] of tags) {
      expect(etag).toMatch(/^"[^"]+"$/)
      const same = toCachedResponse(
        entry,
        { acceptEncoding, ifNoneMatch: etag, mayEncode: true },
        'x',
      )
      expect(same.status).toBe(304)
      expect(same.headers.ETag).toBe(etag)
      // A validator of other bytes does not validate these.
      const other = acceptEncoding === 'br' ? tags.get('gzip') : tags.get('br')
      const changed = toCachedResponse(
        entry,
        { acceptEncoding, ifNoneMatch: other, mayEncode: true },
        'x',
      )
      expect(changed.status).toBe(200)
    }
  })

  it('should compress each encoding once per version', () => {
    const fresh = toCacheEntry({ value: 'x'.repeat(1000) }, 0)
    expect(fresh.encoded('br')).toBe(fresh.encoded('br'))
    expect(fresh.encoded('gzip')).toBe(fresh.encoded('gzip'))
  })

  it('should give the same bytes the same strong ETag', () => {
    expect(toCacheEntry({ a: 1 }, 0).etag).toBe(toCacheEntry({ a: 1 }, 99).etag)
    expect(toCacheEntry({ a: 1 }, 0).etag).not.toBe(toCacheEntry({ a: 2 }, 0).etag)
    expect(entry.etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/)
  })
})
