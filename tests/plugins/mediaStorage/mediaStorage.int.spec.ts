import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { ListObjectsV2Command, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3'
import { handleEndpoints, type Config, type UploadCollectionSlug } from 'payload'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'

import '../../setup/providedContext'
import { mediaStoragePlugin } from '../../../plugins/mediaStorage'
import { publicFileRedirectCacheControl } from '../../../plugins/mediaStorage/defaults'
import { createPluginFixture, fixtureUsersCollection, type PluginFixture } from '../pluginFixture'

const fixtureName = 'media_storage'
const publicBase = 'https://files.example.test'
// A folder of its own in the run's bucket, which the app's tests share.
const keyPrefix = `fixture-${crypto.randomBytes(4).toString('hex')}`

/** A bare upload collection anyone may read. */
const filesCollection = {
  slug: 'files',
  access: { read: () => true },
  upload: true,
  fields: [],
} satisfies NonNullable<Config['collections']>[number]

// The fixture's slugs are not this app's, whose generated types Payload's API is typed with.
const files = 'files' as UploadCollectionSlug

const getS3Settings = () => {
  const r2Env = inject('testContext').r2Env
  if (!r2Env) throw new Error('the int project runs with an S3-API server')
  const s3: S3ClientConfig = {
    endpoint: r2Env.R2_ENDPOINT,
    region: 'auto',
    forcePathStyle: true,
    credentials: {
      accessKeyId: r2Env.R2_ACCESS_KEY_ID,
      secretAccessKey: r2Env.R2_SECRET_ACCESS_KEY,
    },
  }
  return { bucket: r2Env.R2_BUCKET, s3 }
}

let fixture: PluginFixture
let storedName: string

const listKeysUnderPrefix = async () => {
  const { bucket, s3 } = getS3Settings()
  const client = new S3Client(s3)
  try {
    const listed = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: `${keyPrefix}/` }),
    )
    return (listed.Contents ?? []).map((object) => object.Key)
  } finally {
    client.destroy()
  }
}

/** A GET through Payload's REST handler, as an anonymous client. */
const restGet = (path: string) =>
  handleEndpoints({
    config: fixture.payload.config,
    request: new Request(`http://localhost:3000${path}`),
    payloadInstanceCacheKey: `plugin-fixture-${fixtureName}`,
  })

beforeAll(async () => {
  const { bucket, s3 } = getS3Settings()
  fixture = await createPluginFixture({
    name: fixtureName,
    config: {
      collections: [filesCollection, fixtureUsersCollection],
      plugins: [mediaStoragePlugin({ collection: files, bucket, s3, keyPrefix, publicBase })],
    },
  })
  const text = Buffer.from('stored in the bucket')
  const created = await fixture.payload.create({
    collection: files,
    data: {} as never,
    file: { data: text, mimetype: 'text/plain', name: 'notes.txt', size: text.length },
  })
  storedName = String((created as unknown as { filename: string }).filename)
})

afterAll(async () => {
  await fixture?.dispose()
})

describe('mediaStoragePlugin alone', () => {
  it('should put an upload in the bucket under the key prefix', async () => {
    expect(await listKeysUnderPrefix()).toEqual([`${keyPrefix}/${storedName}`])
  })

  it('should link the document to its public URL', async () => {
    const { docs } = await fixture.payload.find({ collection: files })
    expect((docs[0] as unknown as { url: string }).url).toBe(
      `${publicBase}/${keyPrefix}/${storedName}`,
    )
  })

  it('should answer the file route with a permanent redirect to the public URL', async () => {
    const response = await restGet(`/api/files/file/${storedName}`)
    expect(response.status).toBe(308)
    expect(response.headers.get('Location')).toBe(`${publicBase}/${keyPrefix}/${storedName}`)
    expect(response.headers.get('Cache-Control')).toBe(publicFileRedirectCacheControl)
  })

  it('should answer 404 for a name no document stores, and 400 for one no file can have', async () => {
    expect((await restGet('/api/files/file/missing.txt')).status).toBe(404)
    expect((await restGet('/api/files/file/.env')).status).toBe(400)
  })
})

describe('mediaStoragePlugin disabled, with serverURL', () => {
  const serverURL = 'https://cms.example.test'
  let localFixture: PluginFixture
  let staticDir: string

  beforeAll(async () => {
    staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'media-storage-fixture-'))
    localFixture = await createPluginFixture({
      name: `${fixtureName}_local`,
      config: {
        collections: [{ ...filesCollection, upload: { staticDir } }, fixtureUsersCollection],
        plugins: [mediaStoragePlugin({ enabled: false, collection: files, serverURL })],
      },
    })
  })

  afterAll(async () => {
    await localFixture?.dispose()
    fs.rmSync(staticDir, { recursive: true, force: true })
  })

  it('should link files Payload serves absolute on the server URL', async () => {
    const text = Buffer.from('stored on disk')
    const created = (await localFixture.payload.create({
      collection: files,
      data: {} as never,
      file: { data: text, mimetype: 'text/plain', name: 'local.txt', size: text.length },
    })) as unknown as { id: number; filename: string; url: string }
    expect(created.url).toBe(`${serverURL}/api/files/file/${created.filename}`)
    const read = (await localFixture.payload.findByID({
      collection: files,
      id: created.id,
    })) as unknown as { url: string }
    expect(read.url).toBe(created.url)
  })
})
