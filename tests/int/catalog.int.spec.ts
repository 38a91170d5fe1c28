import { describe, expect, it } from 'vitest'

import { collectionSlugs } from '../../collections/slugs'
import type { Catalog } from '../../src/catalog/buildCatalog'
import { getAppMetrics } from '../../src/server/observability/metrics'
import { makeJpeg } from '../helpers/images'
import { rest } from '../helpers/http'
import { uniqueName } from '../helpers/payload'
import { setupEditorSession } from '../helpers/session'

const session = setupEditorSession()

const getCatalog = async (headers: Record<string, string> = {}) => {
  const response = await rest('GET', '/api/catalog', { headers })
  return {
    response,
    catalog:
      response.status === 200 && !response.headers.get('content-encoding')
        ? ((await response.json()) as Catalog)
        : undefined,
  }
}

const rebuildCount = async () => {
  const metric = await getAppMetrics().registry.getSingleMetricAsString(
    'catalog_cache_rebuild_seconds',
  )
  return Number(metric.match(/^catalog_cache_rebuild_seconds_count (\d+)$/m)?.[1] ?? 0)
}

const createPublishedCategory = (sortOrder: number) =>
  session.payload.create({
    collection: collectionSlugs.categories,
    data: { name: uniqueName('Catalog category'), sortOrder, _status: 'published' },
  })

describe('GET /api/catalog', () => {
  it('should return published categories in sortOrder with their published items, and nothing draft', async () => {
    const image = await session.payload.create({
      collection: collectionSlugs.media,
      data: { alt: 'Catalog image' },
      file: {
        data: await makeJpeg(900, 600),
        mimetype: 'image/jpeg',
        name: 'catalog.jpg',
        size: 0,
      },
    })
    const later = await createPublishedCategory(-5)
    const earlier = await createPublishedCategory(-10)
    const hidden = await session.payload.create({
      collection: collectionSlugs.categories,
      data: { name: uniqueName('Draft category'), sortOrder: -20, _status: 'draft' },
      draft: true,
    })
    const item = await session.payload.create({
      collection: collectionSlugs.items,
      data: {
        name: uniqueName('Visible'),
        price: 995,
        category: earlier.id,
        images: [image.id],
        _status: 'published',
      },
    })
    const draftItem = await session.payload.create({
      collection: collectionSlugs.items,
      data: { name: uniqueName('Draft item'), price: 1, category: earlier.id, _status: 'draft' },
      draft: true,
    })
    await session.payload.update({
      collection: collectionSlugs.items,
      id: item.id,
      data: { name: 'Pending rename' },
      draft: true,
    })

    const { response, catalog } = await getCatalog()
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe(
      'public, max-age=0, s-maxage=60, stale-while-revalidate=300',
    )
    expect(response.headers.get('vary')).toBe('Accept-Encoding')
    const ids = catalog!.categories.map((category) => category.id)
    expect(ids.indexOf(earlier.id)).toBeLessThan(ids.indexOf(later.id))
    expect(ids).not.toContain(hidden.id)
    const entry = catalog!.categories.find((category) => category.id === earlier.id)!
    expect(entry.items.map((listed) => listed.id)).toEqual([item.id])
    expect(entry.items[0]).toMatchObject({ name: item.name, price: 995 })
    expect(entry.items[0].images[0].sizes.card?.url).toMatch(/^https?:\/\//)
    expect(JSON.stringify(catalog)).not.toContain(draftItem.name)
    expect(JSON.stringify(catalog)).not.toContain('Pending rename')
    expect(catalog!.site.currency).toMatch(/^[A-Z]{3}$/)
  })

  it('should answer a matching If-None-Match with 304 and no body', async () => {
    const { response } = await getCatalog()
    const etag = response.headers.get('etag') as string
    expect(etag).toMatch(/^"[^"]+"$/)
    const revalidated = await rest('GET', '/api/catalog', { headers: { 'If-None-Match': etag } })
    expect(revalidated.status).toBe(304)
    expect((await revalidated.arrayBuffer()).byteLength).toBe(0)
  })

  it('should answer unencoded from the route handler, whatever the client accepts', async () => {
    // Next.js drops a route handler's Content-Encoding and compresses the body itself: encoded
    // bytes from here would reach the client encoded twice. The custom server sends br and gzip.
    const plain = Buffer.from(await (await rest('GET', '/api/catalog')).arrayBuffer())
    for (const acceptEncoding of ['br', 'gzip', 'gzip, deflate, br, zstd', '*']) {
      const response = await rest('GET', '/api/catalog', {
        headers: { 'Accept-Encoding': acceptEncoding },
      })
      expect(response.headers.get('content-encoding')).toBeNull()
      expect(Buffer.from(await response.arrayBuffer()).equals(plain)).toBe(true)
    }
  })

  it('should serve the new version on the very next read after a mutation', async () => {
    const category = await createPublishedCategory(1)
    const before = await getCatalog()
    const response = await rest('PATCH', `/api/categories/${category.id}`, {
      token: session.token,
      body: { name: 'Renamed right now' },
    })
    expect(response.status).toBe(200)
    const after = await getCatalog()
    expect(after.response.headers.get('etag')).not.toBe(before.response.headers.get('etag'))
    expect(after.catalog!.categories.find((entry) => entry.id === category.id)?.name).toBe(
      'Renamed right now',
    )
  })

  it('should build once for 100 concurrent requests after an invalidation', async () => {
    await getCatalog()
    const category = await createPublishedCategory(2)
    await getCatalog()
    const before = await rebuildCount()
    const patched = await rest('PATCH', `/api/categories/${category.id}`, {
      token: session.token,
      body: { description: 'again' },
    })
    expect(patched.status).toBe(200)
    const responses = await Promise.all(
      Array.from({ length: 100 }, () => rest('GET', '/api/catalog')),
    )
    expect(responses.every((response) => response.status === 200)).toBe(true)
    await new Promise((resolve) => setTimeout(resolve, 200))
    // One rebuild for the burst; a notification arriving during it may require exactly one more.
    expect((await rebuildCount()) - before).toBeGreaterThanOrEqual(1)
    expect((await rebuildCount()) - before).toBeLessThanOrEqual(2)
  })

  it('should not change when nothing it is built from changes', async () => {
    const first = await getCatalog()
    await session.payload.update({
      collection: collectionSlugs.users,
      where: { id: { exists: true } },
      data: { name: 'Someone' },
    })
    const second = await getCatalog()
    expect(second.response.headers.get('etag')).toBe(first.response.headers.get('etag'))
  })
})
