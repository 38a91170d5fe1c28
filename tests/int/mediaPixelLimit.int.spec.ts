import { vi } from 'vitest'

// A low limit keeps the images at and just past it small and quick to make. The default limit
// (40 megapixels) meets the same bombs in the bad-input corpus and in mediaLocal.int.spec.ts.
vi.hoisted(() => {
  process.env.MEDIA_MAX_PIXELS = '1000000'
})

import fs from 'node:fs'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { collectionSlugs } from '../../collections/slugs'
import type { Media } from '../../payload-types'
import { getEnv } from '../../src/config/env'
import { createDatabaseSnapshotter } from '../badInput/databaseSnapshot'
import { startApiServer, type RunningApiServer } from '../helpers/apiServer'
import { listBucketKeys } from '../helpers/bucket'
import { makeAnimation, makeBlackPng, makeJpeg } from '../helpers/images'
import { uniqueName } from '../helpers/payload'
import { setupEditorSession } from '../helpers/session'
import { uploadMedia } from '../helpers/uploads'

const session = setupEditorSession()
const env = getEnv()

type ErrorBody = { errors: { message: string }[] }

let server: RunningApiServer
let snapshotter: Awaited<ReturnType<typeof createDatabaseSnapshotter>>

beforeAll(async () => {
  server = await startApiServer()
  snapshotter = await createDatabaseSnapshotter(env.DATABASE_URL)
})

afterAll(async () => {
  await snapshotter?.close()
  await server?.close()
})

const listFiles = (dir: string): string[] =>
  fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }).map(String).sort() : []

/** Everywhere an upload could leave a trace: every table (rows, versions, audit), bucket, disk. */
const takeStorageSnapshot = async () => ({
  database: await snapshotter.take(),
  bucket: (await listBucketKeys()).sort(),
  mediaDir: listFiles(env.MEDIA_DIR),
})

type UploadOverHttpArgs = {
  data: Buffer
  filename: string
  contentType: string
  method?: 'POST' | 'PATCH'
  path?: string
}

const uploadOverHttp = ({ method, path, ...file }: UploadOverHttpArgs) =>
  uploadMedia({
    ...file,
    token: session.token,
    alt: uniqueName('Pixels'),
    method,
    path,
    baseUrl: server.url,
  })

/** Sends the upload and expects a refusal with `status` and `message` that stored nothing. */
const expectRefusedStoringNothing = async (
  upload: UploadOverHttpArgs,
  status: number,
  message: string | RegExp,
) => {
  const before = await takeStorageSnapshot()
  const response = await uploadOverHttp(upload)
  const body = (await response.json()) as ErrorBody
  expect(response.status, JSON.stringify(body)).toBe(status)
  if (typeof message === 'string') expect(body.errors[0].message).toBe(message)
  else expect(body.errors[0].message).toMatch(message)
  expect(await takeStorageSnapshot()).toEqual(before)
}

const pixelBomb = () => makeBlackPng({ width: 16_000, height: 16_000 })

describe('images over MEDIA_MAX_PIXELS', () => {
  it('should refuse a 16,000 × 16,000 PNG of a few KB with 413, naming its size and the limit', async () => {
    const data = pixelBomb()
    expect(data.length).toBeLessThan(100_000)
    await expectRefusedStoringNothing(
      { data, filename: 'bomb.png', contentType: 'image/png' },
      413,
      'The image is 16000 × 16000 pixels (256 megapixels); the largest accepted is 1 megapixel.',
    )
  })

  it.each([
    ['by id', (id: number) => `/api/media/${id}`],
    ['in bulk', (id: number) => `/api/media?where[id][equals]=${id}`],
  ])(
    'should refuse a replacement file (PATCH %s) and keep the document and its files',
    async (_label, pathTo) => {
      const created = await uploadOverHttp({
        data: await makeJpeg(400, 300),
        filename: 'kept.jpg',
        contentType: 'image/jpeg',
      })
      expect(created.status).toBe(201)
      const { doc } = (await created.json()) as { doc: Media }
      await expectRefusedStoringNothing(
        {
          data: pixelBomb(),
          filename: 'replacement.png',
          contentType: 'image/png',
          method: 'PATCH',
          path: pathTo(doc.id),
        },
        413,
        /16000 × 16000 pixels/,
      )
      const after = await session.payload.findByID({
        collection: collectionSlugs.media,
        id: doc.id,
      })
      expect([after.filename, after.width, after.height]).toEqual([doc.filename, 400, 300])
    },
  )

  it('should refuse a pixel bomb given to the Local API, on create and on update', async () => {
    const data = pixelBomb()
    const file = { data, mimetype: 'image/png', name: 'bomb.png', size: data.length }
    const still = await makeJpeg(200, 100)
    const existing = await session.payload.create({
      collection: collectionSlugs.media,
      data: { alt: uniqueName('Local API') },
      file: { data: still, mimetype: 'image/jpeg', name: 'still.jpg', size: still.length },
    })
    const before = await takeStorageSnapshot()
    await expect(
      session.payload.create({ collection: collectionSlugs.media, data: { alt: 'bomb' }, file }),
    ).rejects.toMatchObject({ status: 413, message: expect.stringMatching(/1 megapixel/) })
    await expect(
      session.payload.update({
        collection: collectionSlugs.media,
        id: existing.id,
        data: {},
        file,
      }),
    ).rejects.toMatchObject({ status: 413 })
    expect(await takeStorageSnapshot()).toEqual(before)
  })

  it('should give Payload a sharp that refuses to decode past the limit', async () => {
    const sharp = session.payload.config.sharp
    expect(sharp).toBeDefined()
    const justOver = makeBlackPng({ width: 1000, height: 1001 })
    await expect(sharp!(justOver).toBuffer()).rejects.toThrow(/pixel limit/)
    await expect(sharp!(makeBlackPng({ width: 1000, height: 1000 })).toBuffer()).resolves.toEqual(
      expect.any(Buffer),
    )
  })
})

describe('images at the edge of MEDIA_MAX_PIXELS', () => {
  it('should accept an image of exactly the limit, with its sizes, and refuse one row more', async () => {
    const response = await uploadOverHttp({
      data: await makeJpeg(1000, 1000),
      filename: 'at-limit.jpg',
      contentType: 'image/jpeg',
    })
    expect(response.status).toBe(201)
    const { doc } = (await response.json()) as { doc: Media }
    expect([doc.width, doc.height, doc.sizes?.card?.width]).toEqual([1000, 1000, 768])

    await expectRefusedStoringNothing(
      { data: await makeJpeg(1000, 1001), filename: 'just-over.jpg', contentType: 'image/jpeg' },
      413,
      'The image is 1000 × 1001 pixels (1.001 megapixels); the largest accepted is 1 megapixel.',
    )
  })

  it.each(['gif', 'webp'] as const)(
    'should accept an animated %s whose frames add up to the limit, and refuse one frame more',
    async (format) => {
      const atLimit = await makeAnimation({ width: 500, height: 500, frames: 4, format })
      const response = await uploadOverHttp({
        data: atLimit,
        filename: `four-frames.${format}`,
        contentType: `image/${format}`,
      })
      expect(response.status).toBe(201)
      const { doc } = (await response.json()) as { doc: Media }
      expect([doc.mimeType, doc.width, doc.height]).toEqual([`image/${format}`, 500, 500])

      // Each frame is a quarter of the limit; five of them are past it.
      const pastLimit = await makeAnimation({ width: 500, height: 500, frames: 5, format })
      await expectRefusedStoringNothing(
        { data: pastLimit, filename: `five-frames.${format}`, contentType: `image/${format}` },
        413,
        'The image is 5 frames of 500 × 500 pixels (1.25 megapixels in all); the largest accepted is 1 megapixel, counting every frame.',
      )
    },
  )
})

describe('unreadable image headers', () => {
  const truncatedHeaders: [label: string, make: () => Promise<Buffer>, type: string][] = [
    ['a PNG cut inside its header', async () => pixelBomb().subarray(0, 24), 'image/png'],
    ['a GIF of its header only', async () => Buffer.from('GIF89a\x10\x00\x10\x00'), 'image/gif'],
    [
      'a WebP of its RIFF header only',
      async () =>
        (await makeAnimation({ width: 8, height: 8, frames: 2, format: 'webp' })).subarray(0, 16),
      'image/webp',
    ],
    [
      'a JPEG of its first marker only',
      async () => (await makeJpeg(8, 8)).subarray(0, 4),
      'image/jpeg',
    ],
  ]

  it.each(truncatedHeaders)('should answer %s with 400', async (_label, make, contentType) => {
    await expectRefusedStoringNothing(
      { data: await make(), filename: 'broken', contentType },
      400,
      /could not be read/,
    )
  })
})
