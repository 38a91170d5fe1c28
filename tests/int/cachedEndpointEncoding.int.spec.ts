import { describe, expect, it } from 'vitest'

import { collectionSlugs } from '../../collections/slugs'
import { getCacheRegistry } from '../../plugins/responseCache'
import { setupApiServer } from '../helpers/apiServer'
import { uniqueName } from '../helpers/payload'
import {
  acceptEncodingVariants,
  decodeBody,
  requestRaw,
  type RawResponse,
} from '../helpers/rawHttp'
import { setupEditorSession } from '../helpers/session'

/**
 * Every path that serves `/api/catalog` through the app server — the first read after a change
 * (the rebuild), the fast path, stale-while-revalidate, 304, HEAD, and Next's route before the
 * cache exists — applies exactly one Content-Encoding, and what a client decodes is the document.
 */
const session = setupEditorSession()
const server = setupApiServer()

const browserEncoding = 'gzip, deflate, br, zstd'

const readCatalog = (acceptEncoding: string | undefined, headers: Record<string, string> = {}) =>
  requestRaw(`${server.url}/api/catalog`, {
    headers: {
      ...(acceptEncoding === undefined ? {} : { 'Accept-Encoding': acceptEncoding }),
      ...headers,
    },
  })

/** The document as identity bytes, and a check that `response` decodes to exactly them. */
const expectOneEncodingOf = (response: RawResponse, identity: Buffer) => {
  expect(response.status).toBe(200)
  expect(response.headers['content-encoding'] ?? 'identity').toMatch(/^(br|gzip|deflate|identity)$/)
  expect(decodeBody(response).equals(identity)).toBe(true)
  expect(Number(response.headers['content-length'] ?? response.body.length)).toBe(
    response.body.length,
  )
}

const changeCatalog = () =>
  session.payload.create({
    collection: collectionSlugs.categories,
    data: { name: uniqueName('Encoding'), sortOrder: 50, _status: 'published' },
  })

describe('GET /api/catalog through the app server', () => {
  it.each(acceptEncodingVariants)(
    'should apply one encoding on the first read after a change and after it, for %j',
    async (acceptEncoding) => {
      await changeCatalog()
      const first = await readCatalog(acceptEncoding)
      const identity = (await readCatalog('identity')).body
      expect(JSON.parse(identity.toString('utf8'))).toHaveProperty('categories')
      expectOneEncodingOf(first, identity)
      expectOneEncodingOf(await readCatalog(acceptEncoding), identity)
    },
  )

  it('should send br to browsers and gzip to clients that prefer it, each with its own ETag', async () => {
    await changeCatalog()
    const br = await readCatalog(browserEncoding)
    const gzip = await readCatalog('gzip;q=1, br;q=0.5')
    const plain = await readCatalog(undefined)
    expect(br.headers['content-encoding']).toBe('br')
    expect(gzip.headers['content-encoding']).toBe('gzip')
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(new Set([br, gzip, plain].map((response) => response.headers.etag)).size).toBe(3)
    for (const response of [br, gzip, plain])
      expect(response.headers.vary).toMatch(/Accept-Encoding/i)
  })

  it('should answer 304 to the ETag of the bytes it would send, and only to that', async () => {
    await changeCatalog()
    const br = await readCatalog(browserEncoding)
    const gzip = await readCatalog('gzip')
    const revalidated = await readCatalog(browserEncoding, {
      'If-None-Match': br.headers.etag as string,
    })
    expect(revalidated.status).toBe(304)
    expect(revalidated.body.length).toBe(0)
    expect(revalidated.headers['content-encoding']).toBeUndefined()
    expect(revalidated.headers.etag).toBe(br.headers.etag)
    const otherBytes = await readCatalog(browserEncoding, {
      'If-None-Match': gzip.headers.etag as string,
    })
    expectOneEncodingOf(otherBytes, decodeBody(br))
  })

  it('should answer HEAD with the headers of the GET and no body', async () => {
    await changeCatalog()
    const head = await requestRaw(`${server.url}/api/catalog`, {
      method: 'HEAD',
      headers: { 'Accept-Encoding': browserEncoding },
    })
    const get = await readCatalog(browserEncoding)
    expect(head.status).toBe(200)
    expect(head.body.length).toBe(0)
    expect(head.headers['content-encoding']).toBe(get.headers['content-encoding'])
    expect(head.headers['content-length']).toBe(String(get.body.length))
  })

  it('should serve readers during a rebuild one readable version each', async () => {
    await readCatalog(browserEncoding)
    await changeCatalog()
    const responses = await Promise.all(
      acceptEncodingVariants.map((acceptEncoding) => readCatalog(acceptEncoding)),
    )
    for (const response of responses) {
      expect(response.status).toBe(200)
      expect(JSON.parse(decodeBody(response).toString('utf8'))).toHaveProperty('categories')
    }
  })

  it('should apply one encoding through the Next.js route too, before the cache exists', async () => {
    const registry = getCacheRegistry(session.payload).caches
    const registered = registry.get('/catalog')
    expect(registered).toBeDefined()
    const identity = decodeBody(await readCatalog('identity'))
    // As on a replica that has not started Payload yet: the custom server has no cache to serve.
    registry.delete('/catalog')
    try {
      for (const acceptEncoding of acceptEncodingVariants) {
        expectOneEncodingOf(await readCatalog(acceptEncoding), identity)
      }
    } finally {
      registry.set('/catalog', registered!)
    }
  })
})
