import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { Media } from '../../payload-types'
import { publicFileRedirectCacheControl } from '../../plugins/mediaStorage/defaults'
import { rest } from '../helpers/http'
import { collectMediaURLs, expectEveryMediaURLOn } from '../helpers/mediaURLs'
import { closePayload, initPayload } from '../helpers/payload'
import { uploadAsNewEditor } from '../helpers/uploads'

// The production profile: media in the bucket, URLs on R2_PUBLIC_BASE (set by the test setup).
const publicBase = process.env.R2_PUBLIC_BASE as string

let payload: Payload
let doc: Media

beforeAll(async () => {
  expect(publicBase).toMatch(/^https?:\/\//)
  payload = await initPayload()
  doc = await uploadAsNewEditor({ payload, filename: 'old-link.jpg' })
})

afterAll(async () => {
  await closePayload(payload)
})

const expectRedirectTo = (response: Response, target: string) => {
  expect(response.status).toBe(308)
  expect(response.headers.get('location')).toBe(target)
  expect(response.headers.get('cache-control')).toBe(publicFileRedirectCacheControl)
}

describe('the app file route when media are served from R2_PUBLIC_BASE', () => {
  it('should link documents to the public base', () => {
    expect(doc.url).toBe(`${publicBase}/media/${doc.filename}`)
  })

  // Regression: thumbnailURL stayed on the app's file route (`/api/media/file/…`), relative.
  it('should hand out every URL on the public base, thumbnailURL included, everywhere', async () => {
    expect(doc.thumbnailURL).toBe(`${publicBase}/media/${doc.sizes?.thumbnail?.filename}`)
    expectEveryMediaURLOn(await collectMediaURLs(payload, doc.id), publicBase)
  })

  it('should redirect permanently to the public URL of the original and of every size', async () => {
    expectRedirectTo(await rest('GET', `/api/media/file/${doc.filename}`), doc.url as string)
    for (const size of ['thumbnail', 'card', 'hero'] as const) {
      const sized = doc.sizes?.[size]
      expect(sized?.filename).toBeTruthy()
      expectRedirectTo(
        await rest('GET', `/api/media/file/${sized?.filename}`),
        `${publicBase}/media/${sized?.filename}`,
      )
    }
  })

  it('should redirect the links the app handed out before, with their prefix parameter', async () => {
    expectRedirectTo(
      await rest('GET', `/api/media/file/${doc.filename}?prefix=media`),
      doc.url as string,
    )
  })

  it('should redirect whatever validators or ranges the client sends', async () => {
    for (const headers of <Record<string, string>[]>[
      { Range: 'bytes=0-99' },
      { 'If-None-Match': '"an-old-etag"' },
      { 'If-None-Match': '*' },
      { Range: 'bytes=abc' },
      { 'Accept-Encoding': 'gzip, deflate, br, zstd', Cookie: 'payload-token=stale' },
    ]) {
      expectRedirectTo(
        await rest('GET', `/api/media/file/${doc.filename}`, { headers }),
        doc.url as string,
      )
    }
  })

  it('should answer 404 for a name no document stores, with or without a prefix', async () => {
    for (const path of [
      '/api/media/file/missing-0000000000.jpg',
      '/api/media/file/missing-0000000000.jpg?prefix=media',
      `/api/media/file/${doc.filename}?prefix=elsewhere`,
    ]) {
      const response = await rest('GET', path)
      expect(response.status, path).toBe(404)
      expect(((await response.json()) as { errors: { message: string }[] }).errors[0].message).toBe(
        'Not Found',
      )
    }
  })

  it.each([
    ['a parent directory', '..%2F..%2Fetc%2Fpasswd'],
    ['two dots in a row', 'a..b.jpg'],
    ['a backslash', 'a%5Cb.jpg'],
    ['a space', 'a%20b.jpg'],
    ['a NUL byte', 'a%00.jpg'],
    ['a leading dot', '.env'],
    ['a name too long to store', `${'a'.repeat(300)}.jpg`],
    ['a quote', "a'.jpg"],
  ])('should answer 400 for a name with %s', async (_label, segment) => {
    const response = await rest('GET', `/api/media/file/${segment}`)
    expect(response.status).toBe(400)
    const body = (await response.json()) as { errors: { message: string }[] }
    expect(body.errors[0].message).toMatch(/file name|path|request/i)
  })
})
