import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { collectionSlugs } from '../../collections/slugs'
import type { listBucketKeys } from '../helpers/bucket'
import type { closePayload } from '../helpers/payload'
import type { uploadMedia } from '../helpers/uploads'
import { makeJpeg } from '../helpers/images'
import { getRestartablePort } from '../setup/appServer'
import { startS3Server, type TestS3Server } from '../setup/s3Server'

/**
 * This file gets an S3-API server of its own, so it can take it down mid-test. The app modules are
 * imported only after R2_ENDPOINT points at it, because the config reads the environment on load.
 */
let s3: TestS3Server
let payload: Payload
let helpers: {
  uploadMedia: typeof uploadMedia
  closePayload: typeof closePayload
  listBucketKeys: typeof listBucketKeys
}
let token: string

beforeAll(async () => {
  // This server is stopped and restarted on its port mid-test.
  s3 = await startS3Server(await getRestartablePort())
  // Its own bucket, with the run's R2_PUBLIC_BASE kept: the production profile.
  Object.assign(process.env, s3.env)
  const [payloadHelpers, httpHelpers, uploadHelpers, bucketHelpers] = await Promise.all([
    import('../helpers/payload'),
    import('../helpers/http'),
    import('../helpers/uploads'),
    import('../helpers/bucket'),
  ])
  helpers = {
    uploadMedia: uploadHelpers.uploadMedia,
    closePayload: payloadHelpers.closePayload,
    listBucketKeys: bucketHelpers.listBucketKeys,
  }
  payload = await payloadHelpers.initPayload()
  const editor = await payloadHelpers.createUser({ payload, role: 'editor' })
  token = await httpHelpers.loginToken(editor.email, payloadHelpers.testPassword)
})

afterAll(async () => {
  await helpers?.closePayload(payload)
  await s3?.dispose()
})

const countWithAlt = async (alt: string) =>
  (await payload.count({ collection: collectionSlugs.media, where: { alt: { equals: alt } } }))
    .totalDocs

describe('when the bucket is down', () => {
  it('should answer an upload with 503 and a clear message, and keep no row', async () => {
    const data = await makeJpeg(1800, 1200)
    const before = await helpers.uploadMedia({
      token,
      data,
      filename: 'before.jpg',
      alt: 'before outage',
    })
    expect(before.status).toBe(201)

    await s3.stop()
    const response = await helpers.uploadMedia({
      token,
      data,
      filename: 'during.jpg',
      alt: 'during outage',
    })
    expect(response.status).toBe(503)
    const body = (await response.json()) as { errors: { message: string }[] }
    expect(body.errors[0].message).toMatch(/storage is unavailable/)
    expect(JSON.stringify(body)).not.toMatch(/S3RVER|127\.0\.0\.1|stack/i)
    expect(await countWithAlt('during outage')).toBe(0)
  })

  it('should accept uploads again once the bucket is back', async () => {
    await s3.restart()
    await s3.waitUntilAnswering()
    const response = await helpers.uploadMedia({
      token,
      data: await makeJpeg(400, 300),
      filename: 'after.jpg',
      alt: 'after outage',
    })
    expect(response.status).toBe(201)
    expect(await countWithAlt('after outage')).toBe(1)
    const keys = await helpers.listBucketKeys()
    expect(keys.some((key) => key.includes('before-'))).toBe(true)
    expect(keys.some((key) => key.includes('during-'))).toBe(false)
  })
})
