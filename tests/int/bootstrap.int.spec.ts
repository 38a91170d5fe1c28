import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { collectionSlugs } from '../../collections/slugs'
import { hashPasswordPortably } from '../../src/config/auth/passwordHash'
import { ensureAdminUser } from '../../src/config/onInit/ensureAdminUser'
import { getOnInit } from '../../src/config/onInit'
import { parseEnv } from '../../src/config/env'
import { seedCatalog } from '../../src/jobs/seed'
import { sampleCategories } from '../../src/jobs/seed/sampleCatalog'
import { loginToken, rest } from '../helpers/http'
import { closePayload, initPayload } from '../helpers/payload'
import { refreshAttempts, refusedToken, userOfToken } from '../helpers/tokens'

let payload: Payload

beforeAll(async () => {
  payload = await initPayload()
})

afterAll(async () => {
  await closePayload(payload)
})

const loginStatus = async (email: string, password: string) =>
  (await rest('POST', '/api/users/login', { body: { email, password } })).status

const countUsers = async (email: string) =>
  (await payload.count({ collection: collectionSlugs.users, where: { email: { equals: email } } }))
    .totalDocs

describe('admin bootstrap from ADMIN_EMAIL / ADMIN_PASSWORD', () => {
  const email = 'bootstrap-admin@example.test'

  it('should create the admin once even when several replicas boot at the same time', async () => {
    const results = await Promise.all(
      [1, 2, 3].map(() =>
        ensureAdminUser({ payload, email, credentials: { password: 'first-password-123' } }),
      ),
    )
    expect(results).toContain('created')
    expect(await countUsers(email)).toBe(1)
    expect(await loginStatus(email, 'first-password-123')).toBe(200)
  })

  it('should leave the account untouched on a plain restart', async () => {
    const before = await payload.find({
      collection: collectionSlugs.users,
      where: { email: { equals: email } },
    })
    expect(
      await ensureAdminUser({ payload, email, credentials: { password: 'first-password-123' } }),
    ).toBe('unchanged')
    const after = await payload.find({
      collection: collectionSlugs.users,
      where: { email: { equals: email } },
    })
    expect(after.docs[0]?.updatedAt).toBe(before.docs[0]?.updatedAt)
  })

  it('should rotate the password when ADMIN_PASSWORD changes', async () => {
    expect(
      await ensureAdminUser({ payload, email, credentials: { password: 'second-password-456' } }),
    ).toBe('updated')
    expect(await loginStatus(email, 'first-password-123')).toBe(401)
    expect(await loginStatus(email, 'second-password-456')).toBe(200)
  })

  it('should restore the admin role of a demoted bootstrap account', async () => {
    const { docs } = await payload.find({
      collection: collectionSlugs.users,
      where: { email: { equals: email } },
    })
    await payload.update({
      collection: collectionSlugs.users,
      id: docs[0].id,
      data: { role: 'editor' },
    })
    expect(
      await ensureAdminUser({ payload, email, credentials: { password: 'second-password-456' } }),
    ).toBe('updated')
    const read = await payload.findByID({ collection: collectionSlugs.users, id: docs[0].id })
    expect(read.role).toBe('admin')
  })
})

describe('admin bootstrap from ADMIN_PASSWORD_HASH', () => {
  const email = 'hashed-admin@example.test'
  let firstHash: string

  beforeAll(async () => {
    firstHash = await hashPasswordPortably('first-hashed-password')
  })

  it('should create the admin so that the original password signs in', async () => {
    expect(
      await ensureAdminUser({ payload, email, credentials: { passwordHash: firstHash } }),
    ).toBe('created')
    expect(await loginStatus(email, 'first-hashed-password')).toBe(200)
  })

  it('should leave the account untouched when restarted with the same hash', async () => {
    expect(
      await ensureAdminUser({ payload, email, credentials: { passwordHash: firstHash } }),
    ).toBe('unchanged')
  })

  it('should rotate to a new hash, after which the old password fails', async () => {
    const secondHash = await hashPasswordPortably('second-hashed-password')
    expect(
      await ensureAdminUser({ payload, email, credentials: { passwordHash: secondHash } }),
    ).toBe('updated')
    expect(await loginStatus(email, 'first-hashed-password')).toBe(401)
    expect(await loginStatus(email, 'second-hashed-password')).toBe(200)
  })

  it('should move between a plain password and a hash in both directions', async () => {
    expect(
      await ensureAdminUser({ payload, email, credentials: { password: 'plain-password-789' } }),
    ).toBe('updated')
    expect(await loginStatus(email, 'second-hashed-password')).toBe(401)
    expect(await loginStatus(email, 'plain-password-789')).toBe(200)
    expect(
      await ensureAdminUser({ payload, email, credentials: { passwordHash: firstHash } }),
    ).toBe('updated')
    expect(await loginStatus(email, 'plain-password-789')).toBe(401)
    expect(await loginStatus(email, 'first-hashed-password')).toBe(200)
  })

  it('should end the sessions of the old password when it rotates, to a hash or a password', async () => {
    const fromFirstHash = await loginToken(email, 'first-hashed-password')
    expect(await userOfToken(fromFirstHash)).toEqual(expect.any(Number))
    const thirdHash = await hashPasswordPortably('third-hashed-password')
    expect(
      await ensureAdminUser({ payload, email, credentials: { passwordHash: thirdHash } }),
    ).toBe('updated')
    expect(await userOfToken(fromFirstHash)).toBeNull()
    expect(await refreshAttempts(fromFirstHash)).toEqual(refusedToken)

    const fromThirdHash = await loginToken(email, 'third-hashed-password')
    expect(
      await ensureAdminUser({ payload, email, credentials: { password: 'plain-password-790' } }),
    ).toBe('updated')
    expect(await userOfToken(fromThirdHash)).toBeNull()
    // Back to the first hash, which the tests below sign in with.
    await ensureAdminUser({ payload, email, credentials: { passwordHash: firstHash } })
  })

  it('should never return the hash or salt through the API', async () => {
    const token = await loginToken(email, 'first-hashed-password')
    const me = await rest('GET', '/api/users/me', { token })
    const body = await me.text()
    const [, salt, digest] = firstHash.split('$')
    expect(body).toContain(email)
    expect(body).not.toContain(salt)
    expect(body).not.toContain(digest)
  })
})

describe('boot with ADMIN_PASSWORD in production', () => {
  it('should warn once that a plain password is configured, without printing it', async () => {
    const env = parseEnv({
      source: {
        ...process.env,
        NODE_ENV: 'production',
        ADMIN_EMAIL: 'plain-boot-admin@example.test',
        ADMIN_PASSWORD: 'plain-boot-password-1',
      },
    })
    const warnings: unknown[] = []
    const warn = payload.logger.warn.bind(payload.logger)
    payload.logger.warn = ((entry: unknown) => {
      warnings.push(entry)
    }) as typeof payload.logger.warn
    try {
      await getOnInit({ ...env, isSeedOnEmpty: false })(payload)
    } finally {
      payload.logger.warn = warn
    }
    expect(warnings).toHaveLength(1)
    expect(JSON.stringify(warnings)).toMatch(/ADMIN_PASSWORD_HASH/)
    expect(JSON.stringify(warnings)).not.toContain('plain-boot-password-1')
    expect(await loginStatus('plain-boot-admin@example.test', 'plain-boot-password-1')).toBe(200)
  })
})

describe('seed', () => {
  const expectedItems = sampleCategories.flatMap((category) => category.items).length

  const countAll = async () => ({
    categories: (await payload.count({ collection: collectionSlugs.categories })).totalDocs,
    items: (await payload.count({ collection: collectionSlugs.items })).totalDocs,
    media: (await payload.count({ collection: collectionSlugs.media })).totalDocs,
  })

  it('should add the sample catalog and be idempotent', async () => {
    const before = await countAll()
    const first = await seedCatalog({ payload })
    const afterFirst = await countAll()
    expect(afterFirst.categories - before.categories).toBe(sampleCategories.length)
    expect(afterFirst.items - before.items).toBe(expectedItems)
    expect(first.created).toBeGreaterThan(0)

    const second = await seedCatalog({ payload })
    expect(second.created).toBe(0)
    expect(await countAll()).toEqual(afterFirst)
  })

  it('should publish what it seeds, with images and a logo and banner', async () => {
    const response = await rest(
      'GET',
      '/api/items?limit=100&depth=1&where[slug][equals]=sourdough-loaf',
    )
    const { docs } = (await response.json()) as {
      docs: { images: { sizes: { card: { url: string } } }[] }[]
    }
    expect(docs).toHaveLength(1)
    expect(docs[0].images[0].sizes.card.url).toMatch(
      new RegExp(
        `^${process.env.R2_PUBLIC_BASE}/media/sourdough-loaf-[0-9a-f]{10}-768x\\d+\\.jpg$`,
      ),
    )
    const settings = await payload.findGlobal({ slug: 'site-settings', depth: 0 })
    expect(settings.logo).toBeTruthy()
    expect(settings.banner).toBeTruthy()
  })
})
