import { vi } from 'vitest'

// What this file tests is that setting: without a public base, files are proxied from the
// bucket through the app. Every other media test runs with R2_PUBLIC_BASE, as production does.
const serverURL = vi.hoisted(() => {
  delete process.env.R2_PUBLIC_BASE
  process.env.SERVER_URL = 'https://cms.catalog.test'
  return process.env.SERVER_URL
})

import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import type { Media } from '../../payload-types'
import { rest } from '../helpers/http'
import { closePayload, initPayload } from '../helpers/payload'
import { expectImmutableFileResponse } from '../helpers/fileResponses'
import { collectMediaURLs, expectEveryMediaURLOn } from '../helpers/mediaURLs'
import { uploadAsNewEditor } from '../helpers/uploads'

let payload: Payload
let doc: Media

beforeAll(async () => {
  payload = await initPayload()
  doc = await uploadAsNewEditor({ payload, filename: 'proxied.jpg' })
})

afterAll(async () => {
  await closePayload(payload)
})

describe('media without R2_PUBLIC_BASE: proxied from the bucket', () => {
  it('should hand out URLs on the app, with Payload access control', () => {
    expect(doc.url).toBe(`${serverURL}/api/media/file/${doc.filename}?prefix=media`)
    expect(doc.sizes?.card?.url).toBe(
      `${serverURL}/api/media/file/${doc.sizes?.card?.filename}?prefix=media`,
    )
  })

  // Regression: URLs were relative, and thumbnailURL lacked the prefix its size's URL has.
  it('should hand out every URL absolute on SERVER_URL, in REST, GraphQL and the catalog', async () => {
    expect(doc.thumbnailURL).toBe(
      `${serverURL}/api/media/file/${doc.sizes?.thumbnail?.filename}?prefix=media`,
    )
    const urls = await collectMediaURLs(payload, doc.id)
    expectEveryMediaURLOn(urls, serverURL)
    for (const url of new Set(urls.values())) {
      await expectImmutableFileResponse((url as string).slice(serverURL.length), 'image/jpeg')
    }
  })

  it('should serve the original and sizes with an ETag, immutable caching and 304s', async () => {
    await expectImmutableFileResponse(`/api/media/file/${doc.filename}`, 'image/jpeg')
    await expectImmutableFileResponse(
      `/api/media/file/${doc.sizes?.thumbnail?.filename}`,
      'image/jpeg',
    )
  })

  it('should answer 404 for a file that does not exist', async () => {
    const response = await rest('GET', '/api/media/file/missing-0000000000.jpg')
    expect(response.status).toBe(404)
  })
})
