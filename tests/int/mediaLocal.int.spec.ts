import { vi } from 'vitest'

// The newcomer's default: no bucket, media on local disk under MEDIA_DIR. SERVER_URL is not the
// origin the test requests use, so URLs taken from a request could not pass for it.
const serverURL = vi.hoisted(() => {
  for (const name of [
    'R2_ACCESS_KEY_ID',
    'R2_SECRET_ACCESS_KEY',
    'R2_BUCKET',
    'R2_ENDPOINT',
    'R2_PUBLIC_BASE',
  ]) {
    delete process.env[name]
  }
  process.env.SERVER_URL = 'https://cms.catalog.test'
  return process.env.SERVER_URL
})

import fs from 'node:fs'
import path from 'node:path'

import { describe, expect, it } from 'vitest'

import { collectionSlugs } from '../../collections/slugs'
import type { Media } from '../../payload-types'
import { getEnv } from '../../src/config/env'
import { getStorageUsage } from '../../src/storage/storageUsage'
import { expectImmutableFileResponse } from '../helpers/fileResponses'
import { rest } from '../helpers/http'
import { makeBlackPng, makeJpeg } from '../helpers/images'
import { collectMediaURLs, expectEveryMediaURLOn } from '../helpers/mediaURLs'
import { uniqueName } from '../helpers/payload'
import { setupEditorSession } from '../helpers/session'
import { uploadMedia } from '../helpers/uploads'

const session = setupEditorSession()
const mediaDir = path.resolve(getEnv().MEDIA_DIR)

const filesOf = (doc: Media) =>
  [doc.filename, ...Object.values(doc.sizes ?? {}).map((size) => size?.filename)].filter(
    Boolean,
  ) as string[]

describe('media on local disk', () => {
  it('should store the original and sizes in MEDIA_DIR and serve them with caching headers', async () => {
    const response = await uploadMedia({
      token: session.token,
      data: await makeJpeg(1800, 1200),
      filename: 'local.jpg',
    })
    expect(response.status).toBe(201)
    const { doc } = (await response.json()) as { doc: Media }
    expect(getEnv().r2).toBeUndefined()
    expect(doc.url).toBe(`${serverURL}/api/media/file/${doc.filename}`)
    for (const file of filesOf(doc)) expect(fs.existsSync(path.join(mediaDir, file))).toBe(true)
    await expectImmutableFileResponse(`/api/media/file/${doc.filename}`, 'image/jpeg')
    await expectImmutableFileResponse(`/api/media/file/${doc.sizes?.hero?.filename}`, 'image/jpeg')
  })

  // Regression: URLs were relative (`/api/media/file/…`), useless to a frontend on another origin.
  it('should hand out every URL absolute on SERVER_URL, in REST, GraphQL and the catalog', async () => {
    const response = await uploadMedia({
      token: session.token,
      data: await makeJpeg(1700, 1000),
      filename: 'absolute.jpg',
    })
    const { doc } = (await response.json()) as { doc: Media }
    expect(doc.thumbnailURL).toBe(`${serverURL}/api/media/file/${doc.sizes?.thumbnail?.filename}`)
    const urls = await collectMediaURLs(session.payload, doc.id)
    expectEveryMediaURLOn(urls, serverURL)
    // Each one is the app's file route for a stored file.
    for (const url of new Set(urls.values())) {
      await expectImmutableFileResponse((url as string).slice(serverURL.length), 'image/jpeg')
    }
  })

  it('should validate uploads by content here too', async () => {
    const response = await uploadMedia({
      token: session.token,
      data: Buffer.from('<svg/>'),
      filename: 'x.svg',
      contentType: 'image/svg+xml',
    })
    expect(response.status).toBe(415)
  })

  it('should refuse an image over MEDIA_MAX_PIXELS with 413 and write nothing to MEDIA_DIR', async () => {
    const filesBefore = fs.existsSync(mediaDir) ? fs.readdirSync(mediaDir).sort() : []
    const alt = uniqueName('Pixel bomb')
    const response = await uploadMedia({
      token: session.token,
      data: makeBlackPng({ width: 16_000, height: 16_000 }),
      filename: 'bomb.png',
      contentType: 'image/png',
      alt,
    })
    expect(response.status).toBe(413)
    expect(
      ((await response.json()) as { errors: { message: string }[] }).errors[0].message,
    ).toMatch(/^The image is 16000 × 16000 pixels \(256 megapixels\); the largest accepted is/)
    const filesAfter = fs.existsSync(mediaDir) ? fs.readdirSync(mediaDir).sort() : []
    expect(filesAfter).toEqual(filesBefore)
    const { totalDocs } = await session.payload.count({
      collection: collectionSlugs.media,
      where: { alt: { equals: alt } },
    })
    expect(totalDocs).toBe(0)
  })

  it('should not serve files outside MEDIA_DIR', async () => {
    const response = await rest('GET', '/api/media/file/..%2F..%2Fetc%2Fpasswd')
    // Payload itself refuses such names with 403 before any handler runs; ours would say 400.
    expect([400, 403]).toContain(response.status)
    expect(await response.text()).not.toContain('root:')
  })

  // Regression: Payload answers a request for a missing file with a 500.
  it('should answer 404 for a file that is not there', async () => {
    const response = await rest('GET', '/api/media/file/never-uploaded-0000000000.jpg')
    expect(response.status).toBe(404)
  })

  it('should delete the files with the document', async () => {
    const response = await uploadMedia({
      token: session.token,
      data: await makeJpeg(900, 600),
      filename: 'gone.jpg',
    })
    const { doc } = (await response.json()) as { doc: Media }
    expect((await rest('DELETE', `/api/media/${doc.id}`, { token: session.token })).status).toBe(
      200,
    )
    for (const file of filesOf(doc)) expect(fs.existsSync(path.join(mediaDir, file))).toBe(false)
  })

  it('should report disk usage', async () => {
    const usage = await getStorageUsage(getEnv())
    expect(usage.backend).toBe('local')
    expect(usage.objects).toBe(fs.readdirSync(mediaDir).length)
  })
})
