import sharp from 'sharp'
import { describe, expect, it } from 'vitest'

import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3'

import { collectionSlugs, globalSlugs } from '../../collections/slugs'
import type { Media } from '../../payload-types'
import { getEnv } from '../../src/config/env'
import { getMediaObjectKeys } from '../../plugins/mediaStorage'
import { getR2ClientConfig } from '../../src/storage/r2Client'
import { getStorageUsage } from '../../src/storage/storageUsage'
import { listBucketKeys } from '../helpers/bucket'
import { graphql, rest } from '../helpers/http'
import { makeJpeg } from '../helpers/images'
import { uniqueName } from '../helpers/payload'
import { setupEditorSession } from '../helpers/session'
import { uploadMedia } from '../helpers/uploads'

const session = setupEditorSession()
const env = getEnv()
const publicBase = env.r2?.publicBase as string

type Doc<T> = { doc: T }
type ErrorBody = { errors: { message: string }[] }

const readObject = async (key: string): Promise<Buffer> => {
  const client = new S3Client(getR2ClientConfig(env.r2!))
  try {
    const object = await client.send(new GetObjectCommand({ Bucket: env.r2!.bucket, Key: key }))
    return Buffer.from(await object.Body!.transformToByteArray())
  } finally {
    client.destroy()
  }
}

const countMediaWithAlt = async (alt: string) =>
  (
    await session.payload.count({
      collection: collectionSlugs.media,
      where: { alt: { equals: alt } },
    })
  ).totalDocs

const uploadAndRead = async (data: Buffer, filename = 'photo.jpg', alt = uniqueName('Photo')) => {
  const response = await uploadMedia({ token: session.token, data, filename, alt })
  expect(response.status).toBe(201)
  return ((await response.json()) as Doc<Media>).doc
}

describe('media in the bucket', () => {
  it('should store the original and all three sizes under the media/ prefix, with public URLs', async () => {
    const doc = await uploadAndRead(await makeJpeg(2000, 1500), 'Big Photo.jpg')
    const keys = await listBucketKeys()
    const expected = getMediaObjectKeys(doc)
    expect(expected).toHaveLength(4)
    for (const key of expected) {
      expect(key.startsWith('media/')).toBe(true)
      expect(keys).toContain(key)
    }
    expect(doc.url).toBe(`${publicBase}/media/${doc.filename}`)
    for (const size of ['thumbnail', 'card', 'hero'] as const) {
      expect(doc.sizes?.[size]?.url).toBe(`${publicBase}/media/${doc.sizes?.[size]?.filename}`)
    }
  })

  it('should give every upload a unique, sanitised name', async () => {
    const data = await makeJpeg(400, 300)
    const first = await uploadAndRead(data, '../../Évil Name.jpg')
    const second = await uploadAndRead(data, '../../Évil Name.jpg')
    expect(first.filename).toMatch(/^evil-name-[0-9a-f]{10}\.jpg$/)
    expect(second.filename).not.toBe(first.filename)
  })

  it('should use the public base inside populated relationships, the global and GraphQL', async () => {
    const image = await uploadAndRead(await makeJpeg(900, 600))
    const category = await session.payload.create({
      collection: collectionSlugs.categories,
      data: { name: uniqueName('Media category'), image: image.id, _status: 'published' },
    })
    const item = await session.payload.create({
      collection: collectionSlugs.items,
      data: {
        name: uniqueName('Media item'),
        price: 1,
        category: category.id,
        images: [image.id],
        _status: 'published',
      },
    })
    const restItem = (await (await rest('GET', `/api/items/${item.id}?depth=2`)).json()) as {
      images: Media[]
      category: { image: Media }
    }
    expect(restItem.images[0].url).toBe(`${publicBase}/media/${image.filename}`)
    expect(restItem.category.image.sizes?.card?.url).toBe(
      `${publicBase}/media/${image.sizes?.card?.filename}`,
    )

    await session.payload.updateGlobal({ slug: globalSlugs.siteSettings, data: { logo: image.id } })
    const settings = (await (await rest('GET', '/api/globals/site-settings?depth=1')).json()) as {
      logo: Media
    }
    expect(settings.logo.url).toBe(`${publicBase}/media/${image.filename}`)

    const response = await graphql(
      `
        query ($id: Int!) {
          Item(id: $id) {
            images {
              url
              sizes {
                thumbnail {
                  url
                }
              }
            }
          }
        }
      `,
      { variables: { id: item.id } },
    )
    const body = (await response.json()) as {
      data: { Item: { images: { url: string; sizes: { thumbnail: { url: string } } }[] } }
    }
    expect(body.data.Item.images[0].url).toBe(`${publicBase}/media/${image.filename}`)
    expect(body.data.Item.images[0].sizes.thumbnail.url).toBe(
      `${publicBase}/media/${image.sizes?.thumbnail?.filename}`,
    )
    await session.payload.updateGlobal({ slug: globalSlugs.siteSettings, data: { logo: null } })
  })

  it('should strip EXIF (GPS included) and apply the orientation to the pixels', async () => {
    const rotatedWithGps = await sharp({
      create: { width: 400, height: 200, channels: 3, background: '#336699' },
    })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .withExifMerge({
        IFD0: { Copyright: 'secret-owner' },
        IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '51/1 30/1 0/1' },
      })
      .toBuffer()
    const original = await sharp(rotatedWithGps).metadata()
    expect(original.orientation).toBe(6)
    expect(rotatedWithGps.includes('secret-owner')).toBe(true)
    const doc = await uploadAndRead(rotatedWithGps)
    expect([doc.width, doc.height]).toEqual([200, 400])
    const stored = await readObject(`media/${doc.filename}`)
    const metadata = await sharp(stored).metadata()
    expect(metadata.exif).toBeUndefined()
    expect(metadata.orientation).toBeUndefined()
    expect(stored.includes('secret-owner')).toBe(false)
  })

  it('should store a clean copy of an image that carries a script after its pixels', async () => {
    const withPayload = Buffer.concat([
      await makeJpeg(300, 200),
      Buffer.from('<script>alert(document.cookie)</script>'),
    ])
    const doc = await uploadAndRead(withPayload)
    const stored = await readObject(`media/${doc.filename}`)
    expect(stored.includes('<script>')).toBe(false)
  })

  it('should delete the old objects when the file is replaced', async () => {
    const doc = await uploadAndRead(await makeJpeg(2000, 1000))
    const oldKeys = getMediaObjectKeys(doc)
    const response = await uploadMedia({
      token: session.token,
      data: await makeJpeg(1700, 900),
      filename: 'replacement.jpg',
      method: 'PATCH',
      path: `/api/media/${doc.id}`,
      alt: doc.alt,
    })
    expect(response.status).toBe(200)
    const replaced = ((await response.json()) as Doc<Media>).doc
    const keys = await listBucketKeys()
    for (const key of oldKeys) expect(keys).not.toContain(key)
    for (const key of getMediaObjectKeys(replaced)) expect(keys).toContain(key)
  })

  it('should keep what the file determines when a client writes it by hand, over REST and GraphQL', async () => {
    const doc = await uploadAndRead(await makeJpeg(1200, 800))
    const forged = {
      alt: 'Relabelled',
      width: 1,
      height: 2,
      filesize: 3,
      mimeType: 'image/gif',
      filename: 'elsewhere.gif',
      prefix: 'other',
      sizes: { card: { width: 9, filename: 'forged.jpg' } },
    }
    const response = await rest('PATCH', `/api/media/${doc.id}`, {
      token: session.token,
      body: forged,
    })
    expect(response.status).toBe(200)
    const viaGraphQL = await graphql(
      `
        mutation ($id: Int!) {
          updateMedia(
            id: $id
            data: { alt: "Relabelled twice", width: 5, height: 6, filesize: 7 }
          ) {
            alt
          }
        }
      `,
      { token: session.token, variables: { id: doc.id } },
    )
    expect(viaGraphQL.status).toBe(200)
    const stored = await session.payload.findByID({ collection: collectionSlugs.media, id: doc.id })
    expect(stored.alt).toBe('Relabelled twice')
    const fileFields = ({ width, height, filesize, mimeType, filename, prefix, sizes }: Media) => ({
      width,
      height,
      filesize,
      mimeType,
      filename,
      prefix,
      card: sizes?.card,
    })
    expect(fileFields(stored)).toEqual(fileFields(doc))
  })

  it('should delete the original and every size with the document', async () => {
    const doc = await uploadAndRead(await makeJpeg(1800, 1200))
    const keys = getMediaObjectKeys(doc)
    expect((await rest('DELETE', `/api/media/${doc.id}`, { token: session.token })).status).toBe(
      200,
    )
    const remaining = await listBucketKeys()
    for (const key of keys) expect(remaining).not.toContain(key)
  })

  it('should refuse to delete an image an item still uses, naming the item', async () => {
    const image = await uploadAndRead(await makeJpeg(500, 500))
    const category = await session.payload.create({
      collection: collectionSlugs.categories,
      data: { name: uniqueName('Holder'), _status: 'published' },
    })
    const item = await session.payload.create({
      collection: collectionSlugs.items,
      data: {
        name: uniqueName('Uses image'),
        price: 5,
        category: category.id,
        images: [image.id],
        _status: 'published',
      },
    })
    const response = await rest('DELETE', `/api/media/${image.id}`, { token: session.token })
    expect(response.status).toBe(409)
    const body = (await response.json()) as ErrorBody
    expect(body.errors[0].message).toContain(`item "${item.name}" (id ${item.id})`)
    const keys = await listBucketKeys()
    for (const key of getMediaObjectKeys(image)) expect(keys).toContain(key)
    await session.payload.findByID({ collection: collectionSlugs.media, id: image.id })
  })

  it('should report bucket usage from the bucket itself', async () => {
    const usage = await getStorageUsage(env)
    const keys = (await listBucketKeys()).filter((key) => key.startsWith('media/'))
    expect(usage).toMatchObject({ backend: 'r2', objects: keys.length })
    expect(usage.bytes).toBeGreaterThan(0)
  })
})

describe('refused uploads store nothing', () => {
  const svg = Buffer.from(
    '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>',
  )
  const gifHeaderWithScript = Buffer.from('GIF89a/*\x00\x00*/=1;alert(document.domain)//')

  it.each([
    ['a text file', Buffer.from('just some text, not an image'), 'notes.jpg', 'image/jpeg', 415],
    ['an SVG', svg, 'vector.svg', 'image/svg+xml', 415],
    ['an SVG named .png', svg, 'vector.png', 'image/png', 415],
    ['an image header followed by script', gifHeaderWithScript, 'polyglot.gif', 'image/gif', 400],
    [
      'a PDF',
      Buffer.from('%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF'),
      'doc.jpg',
      'image/jpeg',
      415,
    ],
  ])('should refuse %s', async (_label, data, filename, contentType, status) => {
    const alt = uniqueName('Refused')
    const before = await listBucketKeys()
    const response = await uploadMedia({ token: session.token, data, filename, contentType, alt })
    expect(response.status).toBe(status)
    const body = (await response.json()) as ErrorBody
    expect(body.errors[0].message).toMatch(/accepted|could not be read/)
    expect(await countMediaWithAlt(alt)).toBe(0)
    expect(await listBucketKeys()).toEqual(before)
  })

  // Regression: a control character in the part header made Payload's parser answer 500.
  it('should answer a malformed multipart body with 400', async () => {
    const alt = uniqueName('Malformed')
    const before = await listBucketKeys()
    const response = await uploadMedia({
      token: session.token,
      data: await makeJpeg(50, 50),
      filename: 'bell\u0007.jpg',
      alt,
    })
    expect(response.status).toBe(400)
    expect(((await response.json()) as ErrorBody).errors[0].message).toMatch(/could not be parsed/)
    expect(await countMediaWithAlt(alt)).toBe(0)
    expect(await listBucketKeys()).toEqual(before)
  })

  it('should refuse a truncated image as corrupt', async () => {
    const whole = await makeJpeg(800, 600)
    const alt = uniqueName('Truncated')
    const before = await listBucketKeys()
    const response = await uploadMedia({
      token: session.token,
      data: whole.subarray(0, whole.length / 2),
      filename: 'half.jpg',
      alt,
    })
    expect(response.status).toBe(400)
    expect(((await response.json()) as ErrorBody).errors[0].message).toMatch(/corrupt or truncated/)
    expect(await countMediaWithAlt(alt)).toBe(0)
    expect(await listBucketKeys()).toEqual(before)
  })

  it('should refuse a file over MEDIA_MAX_BYTES with 413', async () => {
    const alt = uniqueName('Oversize')
    const before = await listBucketKeys()
    const oversize = Buffer.alloc(env.MEDIA_MAX_BYTES + 1024, 0xff)
    const response = await uploadMedia({
      token: session.token,
      data: oversize,
      filename: 'huge.jpg',
      alt,
    })
    expect(response.status).toBe(413)
    expect(((await response.json()) as ErrorBody).errors[0].message).toMatch(/limit/)
    expect(await countMediaWithAlt(alt)).toBe(0)
    expect(await listBucketKeys()).toEqual(before)
  })

  it('should refuse an oversize file given to the Local API too', async () => {
    const data = Buffer.alloc(env.MEDIA_MAX_BYTES + 1, 0xff)
    await expect(
      session.payload.create({
        collection: collectionSlugs.media,
        data: { alt: 'too big' },
        file: { data, mimetype: 'image/jpeg', name: 'big.jpg', size: data.length },
      }),
    ).rejects.toMatchObject({ status: 413 })
  })

  it('should upload nothing when the document itself is invalid', async () => {
    const before = await listBucketKeys()
    const response = await uploadMedia({
      token: session.token,
      data: await makeJpeg(600, 400),
      filename: 'no-alt.jpg',
      alt: '',
    })
    expect(response.status).toBe(400)
    expect(await listBucketKeys()).toEqual(before)
  })
})
