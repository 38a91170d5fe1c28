import { handleEndpoints, type Config } from 'payload'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'

import { Media } from '../../collections/Media'
import { getPixelLimitedSharp } from '../../collections/Media/utilities/pixelLimitedSharp'
import { collectionSlugs } from '../../collections/slugs'
import type { Media as MediaDocument } from '../../payload-types'
import { mediaStoragePlugin } from '../../plugins/mediaStorage'
import { readMedia } from '../../src/catalog/buildCatalog'
import { getEnv } from '../../src/config/env'
import { getMediaStorageOptions } from '../../src/config/mediaStorageOptions'
import { expectImmutableFileResponse } from '../helpers/fileResponses'
import { makeJpeg } from '../helpers/images'
import {
  createPluginFixture,
  fixtureUsersCollection,
  type PluginFixture,
} from '../plugins/pluginFixture'
import '../setup/providedContext'

/**
 * An operator may leave R2_PUBLIC_BASE unset: files are then proxied from the bucket through the
 * app, under Payload's access control. This app's Media collection and its storage options are
 * built here for exactly that profile, from an explicit environment, instead of removing the
 * setting from the process that every other test runs in (with a public base, as production).
 */
const fixtureName = 'media_proxied'
const serverURL = 'https://cms.catalog.test'

let fixture: PluginFixture
let doc: MediaDocument

const get = (path: string, headers: Record<string, string> = {}) =>
  handleEndpoints({
    config: fixture.payload.config,
    request: new Request(`http://localhost:3000${path}`, { headers }),
    payloadInstanceCacheKey: `plugin-fixture-${fixtureName}`,
  })

beforeAll(async () => {
  const env = getEnv()
  const r2 = inject('testContext').r2Env
  if (!env.r2 || !r2) throw new Error('the int project runs with an S3-API server')
  const storage = getMediaStorageOptions({
    r2: { ...env.r2, publicBase: undefined },
    MEDIA_KEY_PREFIX: env.MEDIA_KEY_PREFIX,
    SERVER_URL: serverURL,
  })
  fixture = await createPluginFixture({
    name: fixtureName,
    config: {
      collections: [Media, fixtureUsersCollection] as Config['collections'],
      sharp: getPixelLimitedSharp({ maxPixels: env.MEDIA_MAX_PIXELS }),
      plugins: [mediaStoragePlugin(storage)],
    },
  })
  const data = await makeJpeg(1200, 800)
  doc = (await fixture.payload.create({
    collection: collectionSlugs.media,
    data: { alt: 'Proxied' },
    file: { data, mimetype: 'image/jpeg', name: 'proxied.jpg', size: data.length },
  })) as MediaDocument
})

afterAll(async () => {
  await fixture?.dispose()
})

describe('media without R2_PUBLIC_BASE: proxied from the bucket', () => {
  // Regression: URLs were relative, and thumbnailURL lacked the prefix its size's URL has.
  it('should hand out every URL absolute on SERVER_URL, with Payload access control', () => {
    expect(doc.url).toBe(`${serverURL}/api/media/file/${doc.filename}?prefix=media`)
    expect(doc.sizes?.card?.url).toBe(
      `${serverURL}/api/media/file/${doc.sizes?.card?.filename}?prefix=media`,
    )
    expect(doc.thumbnailURL).toBe(
      `${serverURL}/api/media/file/${doc.sizes?.thumbnail?.filename}?prefix=media`,
    )
  })

  it('should hand out the same absolute URLs over REST (on any origin) and in the catalog', async () => {
    const fromRest = (await (
      await handleEndpoints({
        config: fixture.payload.config,
        request: new Request(`http://attacker.example/api/media/${doc.id}`),
        payloadInstanceCacheKey: `plugin-fixture-${fixtureName}`,
      })
    ).json()) as MediaDocument
    const fromCatalog = (await readMedia(fixture.payload, [doc.id])).get(doc.id)
    for (const media of [fromRest, fromCatalog]) {
      expect(media?.url).toBe(doc.url)
      expect(media?.sizes?.thumbnail?.url).toBe(doc.thumbnailURL)
      expect(media?.sizes?.card?.url).toBe(doc.sizes?.card?.url)
    }
    expect(fromRest.thumbnailURL).toBe(doc.thumbnailURL)
  })

  it('should serve the original and sizes with an ETag, immutable caching and 304s', async () => {
    for (const url of [doc.url, doc.sizes?.thumbnail?.url, doc.sizes?.card?.url])
      await expectImmutableFileResponse(String(url).slice(serverURL.length), 'image/jpeg', get)
  })

  it('should answer 404 for a file that does not exist', async () => {
    const response = await get('/api/media/file/missing-0000000000.jpg')
    expect(response.status).toBe(404)
  })
})
