import crypto from 'node:crypto'

import { handleEndpoints, type CollectionSlug } from 'payload'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest'

import { loginRateLimitPlugin } from '../../../plugins/loginRateLimit'
import { loginRateLimitDefaults } from '../../../plugins/loginRateLimit/defaults'
import { createPluginFixture, fixtureUsersCollection, type PluginFixture } from '../pluginFixture'

const fixtureName = 'login_rate_limit'
const users = 'users' as CollectionSlug
const password = 'the-right-password-1'
/** Set by the test as a trusted front would; the plugin trusts no header unless told. */
const addressHeader = 'x-fixture-client-ip'
/** A table of this file's own in the run's database: the plugin creates it (its default). */
const tableName = `login_limits_${crypto.randomBytes(4).toString('hex')}`
const connectionString = inject('testContext').databaseUrl
const onRefusal = vi.fn()

let fixture: PluginFixture

const login = (email: string, attempt: string, address: string) =>
  handleEndpoints({
    config: fixture.payload.config,
    request: new Request('http://localhost:3000/api/users/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', [addressHeader]: address },
      body: JSON.stringify({ email, password: attempt }),
    }),
    payloadInstanceCacheKey: `plugin-fixture-${fixtureName}`,
  })

const statusesOf = async (email: string, attempt: string, address: string, count: number) => {
  const statuses: number[] = []
  for (let index = 0; index < count; index++) {
    statuses.push((await login(email, attempt, address)).status)
  }
  return statuses
}

const createUser = (email: string) =>
  fixture.payload.create({ collection: users, data: { email, password } as never })

beforeAll(async () => {
  fixture = await createPluginFixture({
    name: fixtureName,
    config: {
      // Payload's own lockout off, as the plugin's README says: only the plugin refuses here.
      collections: [{ ...fixtureUsersCollection, auth: { maxLoginAttempts: 0 } }],
      plugins: [
        loginRateLimitPlugin({
          connectionString,
          tableName,
          getClientIp: (req) => req.headers.get(addressHeader) ?? undefined,
          onRefusal,
        }),
      ],
    },
  })
  await createUser('owner@example.test')
  await createUser('returning@example.test')
})

afterAll(async () => {
  await fixture?.dispose()
  const client = new pg.Client({ connectionString })
  await client.connect()
  await client.query(`DROP TABLE IF EXISTS ${pg.escapeIdentifier(tableName)}`)
  await client.end()
})

describe('loginRateLimitPlugin alone', () => {
  it('should refuse the login after 5 failures from one address with a 429 and a Retry-After', async () => {
    expect(loginRateLimitDefaults.accountFailures).toBe(5)
    expect(await statusesOf('owner@example.test', 'a-wrong-guess', '203.0.113.1', 5)).toEqual([
      401, 401, 401, 401, 401,
    ])
    const refused = await login('owner@example.test', password, '203.0.113.1')
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0)
    const body = (await refused.json()) as { errors: { name?: string; message: string }[] }
    expect(body.errors[0].message).toMatch(/^Too many sign-in attempts\. Try again in /)
    expect(onRefusal).toHaveBeenCalledWith(expect.objectContaining({ limiter: 'login-account' }))
  })

  it("should let the account's owner sign in from another address", async () => {
    expect((await login('owner@example.test', password, '203.0.113.2')).status).toBe(200)
  })

  it('should forget the failures of an account after it signs in', async () => {
    const address = '203.0.113.3'
    expect(await statusesOf('returning@example.test', 'a-wrong-guess', address, 4)).toEqual([
      401, 401, 401, 401,
    ])
    expect((await login('returning@example.test', password, address)).status).toBe(200)
    expect(await statusesOf('returning@example.test', 'a-wrong-guess', address, 6)).toEqual([
      401, 401, 401, 401, 401, 429,
    ])
  })

  it('should leave Local API logins (trusted server code) unlimited', async () => {
    for (let attempt = 0; attempt < 7; attempt++) {
      await expect(
        fixture.payload.login({
          collection: users,
          data: { email: 'owner@example.test', password: 'a-wrong-guess' },
        }),
      ).rejects.toMatchObject({ status: 401 })
    }
  })
})
