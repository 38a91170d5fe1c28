import { sql } from '@payloadcms/db-postgres'
import { generate } from 'otplib'
import { createLocalReq, type CollectionSlug, type Endpoint } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { getPostgresAdapter } from '../../../plugins/payloadInternals'
import { twoFactorPlugin } from '../../../plugins/twoFactor'
import { createUsedCodesTableSql } from '../../../plugins/twoFactor/schema'
import {
  createPluginFixture,
  fixturePostsCollection,
  fixtureUsersCollection,
  type PluginFixture,
} from '../pluginFixture'

const users = 'users' as CollectionSlug
const password = 'a-long-fixture-password'

let fixture: PluginFixture

beforeAll(async () => {
  fixture = await createPluginFixture({
    name: 'two_factor',
    config: {
      collections: [fixturePostsCollection, fixtureUsersCollection],
      // The plugin alone, with its defaults.
      plugins: [twoFactorPlugin()],
    },
  })
  // The used-codes table is outside Payload's schema: an app's migration runs this SQL.
  await getPostgresAdapter(fixture.payload).drizzle.execute(sql.raw(createUsedCodesTableSql))
})

afterAll(async () => {
  await fixture?.dispose()
})

/** A code for the step `stepOffset` periods from now (the server accepts one step either side). */
const codeFor = (totpSecret: string, stepOffset = 0) =>
  generate({ secret: totpSecret, epoch: Math.floor(Date.now() / 1000) + stepOffset * 30 })

const createFixtureUser = async () => {
  const email = `two-factor-${Math.random().toString(36).slice(2)}@example.test`
  const user = await fixture.payload.create({
    collection: users,
    data: { email, password } as never,
  })
  return { id: user.id, email }
}

const endpointOf = (path: string): Endpoint => {
  const endpoints = fixture.payload.collections[users].config.endpoints || []
  const endpoint = endpoints.find((candidate) => candidate.path === path)
  if (!endpoint) throw new Error(`No endpoint ${path}`)
  return endpoint
}

/** Calls one of the plugin's endpoint handlers as the user, as Payload's REST route would. */
const callEndpoint = async (
  path: string,
  {
    userId,
    body = {},
    routeParams,
  }: { userId: number | string; body?: object; routeParams?: object },
) => {
  const user = await fixture.payload.findByID({ collection: users, id: userId })
  const req = await createLocalReq(
    { user: { ...user, collection: users } as never },
    fixture.payload,
  )
  req.data = body as Record<string, unknown>
  req.routeParams = routeParams as Record<string, unknown>
  req.payloadAPI = 'REST'
  try {
    const response = await endpointOf(path).handler(req)
    return { status: response.status, body: (await response.json()) as Record<string, unknown> }
  } catch (error) {
    const { status, message } = error as { status?: number; message: string }
    return { status: status ?? 500, body: { message } }
  }
}

const login = (email: string, totp?: string) =>
  fixture.payload.login({
    collection: users,
    data: { email, password, ...(totp === undefined ? {} : { totp }) } as never,
  })

const enrol = async (userId: number | string) => {
  const setup = await callEndpoint('/2fa/setup', { userId })
  expect(setup.status).toBe(200)
  const uri = new URL(setup.body.otpauthUri as string)
  const totpSecret = uri.searchParams.get('secret') as string
  const confirm = await callEndpoint('/2fa/confirm', {
    userId,
    body: { code: await codeFor(totpSecret) },
  })
  expect(confirm.status).toBe(200)
  return { uri, totpSecret, backupCodes: confirm.body.backupCodes as string[] }
}

describe('twoFactorPlugin alone', () => {
  it('should enrol a user with a code from the app and name the default issuer', async () => {
    const user = await createFixtureUser()
    const { uri, backupCodes } = await enrol(user.id)
    expect(uri.searchParams.get('issuer')).toBe('Payload')
    expect(backupCodes).toHaveLength(10)
    const stored = await fixture.payload.findByID({ collection: users, id: user.id })
    expect((stored as { twoFactorEnabled?: boolean }).twoFactorEnabled).toBe(true)
    // The secret never leaves the server through the API.
    expect(stored).not.toHaveProperty('totpSecret')
  })

  it('should refuse a wrong code at enrolment', async () => {
    const user = await createFixtureUser()
    expect((await callEndpoint('/2fa/setup', { userId: user.id })).status).toBe(200)
    const confirm = await callEndpoint('/2fa/confirm', {
      userId: user.id,
      body: { code: '000000' },
    })
    expect(confirm.status).toBe(400)
  })

  it('should require the second factor at login and refuse a used code the second time', async () => {
    const user = await createFixtureUser()
    const { totpSecret } = await enrol(user.id)
    await expect(login(user.email)).rejects.toMatchObject({
      status: 401,
      data: { twoFactorRequired: true },
    })
    // The enrolment spent the current step's code: the next step's is the one that works.
    const code = await codeFor(totpSecret, 1)
    await expect(login(user.email, code)).resolves.toHaveProperty('token')
    await expect(login(user.email, code)).rejects.toMatchObject({ status: 401 })
  })

  it('should accept a backup code once', async () => {
    const user = await createFixtureUser()
    const { backupCodes } = await enrol(user.id)
    await expect(login(user.email, backupCodes[0])).resolves.toHaveProperty('token')
    await expect(login(user.email, backupCodes[0])).rejects.toMatchObject({ status: 401 })
  })

  it("should turn two-factor off with the password, checked as Payload's own hash", async () => {
    const user = await createFixtureUser()
    await enrol(user.id)
    const wrong = await callEndpoint('/2fa/disable', {
      userId: user.id,
      body: { password: 'not-the-password' },
    })
    expect(wrong.status).toBe(403)
    const disable = await callEndpoint('/2fa/disable', { userId: user.id, body: { password } })
    expect(disable.status).toBe(200)
    await expect(login(user.email)).resolves.toHaveProperty('token')
  })

  it('should let nobody reset another user by default, having no way to tell admins', async () => {
    const admin = await createFixtureUser()
    const target = await createFixtureUser()
    await enrol(target.id)
    const reset = await callEndpoint('/:id/2fa/reset', {
      userId: admin.id,
      routeParams: { id: String(target.id) },
    })
    expect(reset.status).toBe(403)
  })

  it('should leave CORS and the other collections as they were by default', () => {
    const { config } = fixture.payload
    // No CORS origins stays none: the plugin only adds its header to origins an app allowed.
    expect(config.cors).toEqual([])
    const posts = config.collections.find((collection) => (collection.slug as string) === 'posts')
    expect(posts?.fields.map((field) => ('name' in field ? field.name : undefined))).not.toContain(
      'twoFactorEnabled',
    )
    expect(config.admin.components.views?.login).toBeDefined()
  })
})
