import pg from 'pg'
import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { collectionSlugs, globalSlugs } from '../../collections/slugs'
import type { CacheChange } from '../../plugins/responseCache'
import { defaultChannel } from '../../plugins/responseCache/defaults'
import { getCacheRegistry } from '../../plugins/responseCache'
import { parseChangeMessage } from '../../plugins/responseCache/utilities/changes'
import {
  createResponseCache,
  toFragmentedCacheEntry,
  type CacheEntry,
} from '../../plugins/responseCache/utilities/responseCache'
import { buildCatalog } from '../../src/catalog/buildCatalog'
import { createIncrementalCatalogBuild } from '../../src/catalog/incrementalCatalog'
import { getEnv } from '../../src/config/env'
import { catalogPath } from '../../src/catalog/catalogCacheOptions'
import { makeJpeg } from '../helpers/images'
import { lexicalParagraph, lexicalState, lexicalText, lexicalUpload } from '../helpers/lexical'
import { uniqueName } from '../helpers/payload'
import { setupEditorSession } from '../helpers/session'
import { createSeededRandom } from '../helpers/seededRandom'

const session = setupEditorSession()
const seed = Number(process.env.CATALOG_DIFF_SEED ?? 20261126)
const sentinelChannel = 'catalog_incremental_sentinel'

type Replica = {
  cache: ReturnType<typeof createResponseCache>
  /** isIncremental of each rebuild, in order. */
  rebuilds: boolean[]
  /** Resolves once every notification committed before this call has reached the replica. */
  catchUp: () => Promise<void>
}

/**
 * A second replica inside the test: its own catalog cache and its own LISTEN connection on the
 * plugin's channel, fed exactly what other replicas receive. A sentinel NOTIFY sent after a
 * mutation arrives on the same connection after the mutation's own notifications.
 */
const startReplica = async (
  payload: Payload,
  wrapBuild: (build: () => Promise<Buffer[]>) => Promise<Buffer[]> = (build) => build(),
): Promise<Replica & { stop: () => Promise<void> }> => {
  const client = new pg.Client({ connectionString: getEnv().DATABASE_URL })
  await client.connect()
  const build = createIncrementalCatalogBuild()
  const rebuilds: boolean[] = []
  const cache = createResponseCache({
    ttlMs: 3_600_000,
    graceMs: 0,
    onEvent: (event) => {
      if (event.type === 'rebuild') rebuilds.push(event.isIncremental)
    },
    build: async (changes?: readonly CacheChange[]) => ({
      fragments: await wrapBuild(() => build({ payload, changes })),
    }),
  })
  let sentinel = 0
  const waiting = new Map<string, () => void>()
  client.on('notification', ({ channel, payload: message = '' }) => {
    if (channel === defaultChannel)
      cache.invalidate('notification', parseChangeMessage(message).change)
    else waiting.get(message)?.()
  })
  await client.query(`LISTEN ${defaultChannel}`)
  await client.query(`LISTEN ${sentinelChannel}`)
  return {
    cache,
    rebuilds,
    catchUp: async () => {
      const token = String((sentinel += 1))
      const arrived = new Promise<void>((resolve) => waiting.set(token, resolve))
      await client.query('SELECT pg_notify($1, $2)', [sentinelChannel, token])
      await arrived
    },
    stop: () => client.end(),
  }
}

/** What a fresh full build serves now: the incremental builder from scratch, and the plain form. */
const fullBuild = async (payload: Payload): Promise<CacheEntry> => {
  const entry = toFragmentedCacheEntry(await createIncrementalCatalogBuild()({ payload }), 0)
  expect(entry.json.equals(Buffer.from(JSON.stringify(await buildCatalog({ payload }))))).toBe(true)
  return entry
}

/** A description with text and an upload node showing `mediaId`. */
const describedWithImage = (mediaId: number) =>
  lexicalState(lexicalParagraph(lexicalText('Shown:', 1)), lexicalUpload(mediaId))

const createImage = async (payload: Payload, alt: string) => {
  const data = await makeJpeg(320, 200)
  return payload.create({
    collection: collectionSlugs.media,
    data: { alt },
    file: { data, mimetype: 'image/jpeg', name: 'incremental.jpg', size: data.length },
  })
}

describe('incremental catalog builds', () => {
  let replica: Awaited<ReturnType<typeof startReplica>>

  beforeAll(async () => {
    replica = await startReplica(session.payload)
  })
  afterAll(async () => {
    await replica?.stop()
  })

  it('should serve, after each of a random sequence of changes, exactly the bytes of a full build', async () => {
    const { payload } = session
    const { next: random, pick, integer } = createSeededRandom(seed)
    const sameNames = ['Alpha', 'alpha', 'Beta', 'Émile', 'Zed']
    let slugCounter = 0
    const nextSlug = () => `incremental-${seed}-${Date.now().toString(36)}-${(slugCounter += 1)}`

    const media = [
      await createImage(payload, 'First'),
      await createImage(payload, 'Second'),
      await createImage(payload, 'Third'),
    ].map((doc) => doc.id)
    const categories: number[] = []
    for (let index = 0; index < 5; index++) {
      const category = await payload.create({
        collection: collectionSlugs.categories,
        data: {
          name: uniqueName(`Incremental ${index}`),
          sortOrder: integer(3),
          image: index % 2 === 0 ? pick(media) : undefined,
          _status: index === 4 ? 'draft' : 'published',
        },
        draft: index === 4,
      })
      categories.push(category.id)
    }
    /** Our items and their category. */
    const items = new Map<number, number>()
    const createItem = async () => {
      const isDraft = random() < 0.25
      const categoryId = pick(categories)
      const item = await payload.create({
        collection: collectionSlugs.items,
        data: {
          name: random() < 0.5 ? pick(sameNames) : uniqueName('Item'),
          slug: nextSlug(),
          price: integer(10_000),
          category: categoryId,
          images: [pick(media), pick(media)].slice(0, integer(3)),
          tags: ['a', 'b', 'c'].slice(0, integer(4)),
          isAvailable: random() < 0.8,
          sortOrder: integer(3),
          _status: isDraft ? 'draft' : 'published',
        },
        draft: isDraft,
      })
      items.set(item.id, categoryId)
      return `create item ${item.id}${isDraft ? ' (draft)' : ''}`
    }
    for (let index = 0; index < 12; index++) await createItem()

    const liveItems = () => [...items].filter(([, category]) => category !== null).map(([id]) => id)
    const updateItem = async (data: Record<string, unknown>, draft = false) => {
      const id = pick(liveItems())
      await payload.update({ collection: collectionSlugs.items, id, data, draft })
      if (typeof data.category === 'number') items.set(id, data.category)
      return `update item ${id} ${JSON.stringify(data)}${draft ? ' as a draft' : ''}`
    }
    const updateCategory = async (data: Record<string, unknown>) => {
      const id = pick(categories)
      await payload.update({ collection: collectionSlugs.categories, id, data })
      return `update category ${id} ${JSON.stringify(data)}`
    }

    const createCategory = async () => {
      const category = await payload.create({
        collection: collectionSlugs.categories,
        data: { name: pick(sameNames), slug: nextSlug(), _status: 'published' },
      })
      categories.push(category.id)
      return `create category ${category.id}`
    }

    const mutations: (() => Promise<string>)[] = [
      createItem,
      () => updateItem({ price: integer(10_000) }),
      () => updateItem({ tags: ['x', 'y', 'z'].slice(0, integer(4)) }),
      () => updateItem({ images: [pick(media), pick(media)].slice(0, integer(3)) }),
      // The description's HTML shows the image: an alt change must reach it.
      () => updateItem({ description: describedWithImage(pick(media)) }),
      () => updateItem({ category: pick(categories) }),
      () => updateItem({ name: pick(sameNames), sortOrder: integer(3) }),
      () => updateItem({ _status: 'published' }),
      () => updateItem({ _status: 'draft' }),
      () => updateItem({ name: 'Pending draft edit', price: 1 }, true),
      async () => {
        const id = pick(liveItems())
        await payload.delete({ collection: collectionSlugs.items, id })
        items.delete(id)
        return `delete item ${id}`
      },
      () => updateCategory({ name: pick(sameNames) }),
      () => updateCategory({ sortOrder: integer(4) }),
      () => updateCategory({ _status: random() < 0.5 ? 'draft' : 'published' }),
      () => updateCategory({ image: random() < 0.3 ? null : pick(media) }),
      createCategory,
      async () => {
        // A category that items still belong to cannot be deleted (409): delete an empty one.
        const inUse = new Set(items.values())
        const empty = categories.filter((id) => !inUse.has(id))
        if (categories.length < 3 || empty.length === 0) return createCategory()
        const id = pick(empty)
        await payload.delete({ collection: collectionSlugs.categories, id })
        categories.splice(categories.indexOf(id), 1)
        return `delete category ${id}`
      },
      async () => {
        const id = pick(media)
        await payload.update({
          collection: collectionSlugs.media,
          id,
          data: { alt: uniqueName('Alt') },
        })
        return `change alt of media ${id}`
      },
      async () => {
        const data = pick([
          { siteName: uniqueName('Site') },
          { logo: pick(media), banner: random() < 0.5 ? null : pick(media) },
          { currency: pick(['EUR', 'USD', 'GBP']) },
        ])
        await payload.updateGlobal({ slug: globalSlugs.siteSettings, data })
        return `update site settings ${JSON.stringify(data)}`
      },
    ]

    const registered = getCacheRegistry(session.payload).caches.get(catalogPath)
    expect(registered).toBeDefined()
    await replica.cache.get()
    await registered!.cache.get()
    const steps: string[] = []
    for (let step = 0; step < 60; step++) {
      steps.push(await pick(mutations)())
      await replica.catchUp()
      const context = `seed ${seed} (CATALOG_DIFF_SEED), step ${step}:\n${steps.join('\n')}`
      const expected = await fullBuild(payload)
      const rebuildsBefore = replica.rebuilds.length
      const onReplica = await replica.cache.get()
      // Through the change's own replica too: invalidated locally, then by its notification.
      const onOrigin = await registered!.cache.get()
      expect(onReplica.json.toString(), context).toBe(expected.json.toString())
      expect(onReplica.etag, context).toBe(expected.etag)
      expect(onOrigin.json.equals(expected.json), context).toBe(true)
      expect(onOrigin.etag, context).toBe(expected.etag)
      expect(replica.rebuilds.slice(rebuildsBefore), context).toEqual([true])
    }
  })

  it('should re-serialise only the category an item change touches', async () => {
    const { payload } = session
    const build = createIncrementalCatalogBuild()
    const category = await payload.create({
      collection: collectionSlugs.categories,
      data: { name: uniqueName('Touched'), _status: 'published' },
    })
    const item = await payload.create({
      collection: collectionSlugs.items,
      data: { name: uniqueName('Priced'), price: 10, category: category.id, _status: 'published' },
    })
    const before = await build({ payload })
    await payload.update({ collection: collectionSlugs.items, id: item.id, data: { price: 20 } })
    const after = await build({
      payload,
      changes: [{ collection: collectionSlugs.items, id: item.id }],
    })
    expect(after).toHaveLength(before.length)
    const rebuilt = after.filter((fragment, index) => fragment !== before[index])
    expect(rebuilt).toHaveLength(1)
    expect(rebuilt[0].toString()).toContain(`"id":${category.id},`)
    expect(Buffer.concat(after).equals((await fullBuild(payload)).json)).toBe(true)
  })

  it('should apply two changes that arrive while a build is running on the next build', async () => {
    const { payload } = session
    let release = () => undefined as void
    let gate: Promise<void> | undefined
    let hasRead = () => undefined as void
    const gated = await startReplica(payload, async (build) => {
      const fragments = await build()
      hasRead()
      await gate
      return fragments
    })
    try {
      const [first, second] = await Promise.all(
        [1, 2].map(async (index) =>
          payload.create({
            collection: collectionSlugs.categories,
            data: { name: uniqueName(`Concurrent ${index}`), _status: 'published' },
          }),
        ),
      )
      const item = await payload.create({
        collection: collectionSlugs.items,
        data: { name: uniqueName('Mover'), price: 5, category: first.id, _status: 'published' },
      })
      await gated.catchUp()
      await gated.cache.get()

      await payload.update({ collection: collectionSlugs.items, id: item.id, data: { price: 6 } })
      await gated.catchUp()
      gate = new Promise<void>((resolve) => (release = resolve))
      const read = new Promise<void>((resolve) => (hasRead = resolve))
      const running = gated.cache.get()
      await read
      const expectedByRunning = await fullBuild(payload)

      // Both commit, and both notifications arrive, after the running build has read its data.
      await payload.update({
        collection: collectionSlugs.items,
        id: item.id,
        data: { category: second.id },
      })
      await payload.update({
        collection: collectionSlugs.categories,
        id: second.id,
        data: { name: uniqueName('Renamed meanwhile') },
      })
      await gated.catchUp()
      release()
      const stale = await running
      expect(stale.etag).toBe(expectedByRunning.etag)

      const rebuildsBefore = gated.rebuilds.length
      const next = await gated.cache.get()
      const expected = await fullBuild(payload)
      expect(next.etag).not.toBe(stale.etag)
      expect(next.json.toString()).toBe(expected.json.toString())
      expect(next.etag).toBe(expected.etag)
      expect(gated.rebuilds.slice(rebuildsBefore)).toEqual([true])
    } finally {
      gate = undefined
      release()
      await gated.stop()
    }
  })
})
