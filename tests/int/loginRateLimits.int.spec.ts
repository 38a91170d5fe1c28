import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

import { sql } from '@payloadcms/db-postgres'
import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { clientIpHeader } from '../../src/server/observability/requestId'
import { tooManySignInAttemptsMessage } from '../../plugins/loginRateLimit/utilities/loginRefusals'
import { appConfigNodeOptions } from '../../src/jobs/payloadCli'

/**
 * The limits are set here, before the app modules load, to the documented defaults: the rest of the
 * suite raises the per-address limit because it signs in from one address all the time.
 */
const limits = {
  LOGIN_RATE_LIMIT_WINDOW_SECONDS: '900',
  LOGIN_RATE_LIMIT_ACCOUNT_FAILURES: '5',
  LOGIN_RATE_LIMIT_IP_ATTEMPTS: '20',
}
Object.assign(process.env, limits)

const { closePayload, createUser, initPayload, readLoginAttempts, testPassword } =
  await import('../helpers/payload')
const { graphql, rest } = await import('../helpers/http')
const { startApiServer } = await import('../helpers/apiServer')
const { oneSignInPerRequestMessage } = await import('../../src/config/graphql/graphqlSignIn')

const execFileAsync = promisify(execFile)

let payload: Payload
let addressCounter = 0
/** Documentation addresses (RFC 5737), unique per test run so reruns on one database don't collide. */
const runPrefix = `198.51.${Math.floor(Math.random() * 200) + 20}`
const nextAddress = () => `${runPrefix}.${++addressCounter}`

const login = (email: string, password: string, address: string) =>
  rest('POST', '/api/users/login', {
    body: { email, password },
    headers: { [clientIpHeader]: address },
  })

/** The per-address counter as stored: what every replica reads. */
const readAddressPoints = async (address: string): Promise<number> => {
  const { drizzle } = payload.db as unknown as {
    drizzle: { execute: (query: unknown) => Promise<{ rows: { points: number }[] }> }
  }
  const { rows } = await drizzle.execute(
    sql`SELECT points FROM login_rate_limits WHERE key = ${`login-ip:${address}`}`,
  )
  return rows[0]?.points ?? 0
}

const statusesOf = async (attempts: Promise<Response>[]) =>
  (await Promise.all(attempts)).map((response) => response.status)

/** Every password Payload checked and refused left one audit row naming the account. */
const countCheckedPasswords = async (email: string): Promise<number> =>
  (
    await payload.count({
      collection: 'audit-logs',
      where: { action: { equals: 'login-failed' }, actorEmail: { equals: email } },
      overrideAccess: true,
    })
  ).totalDocs

const graphqlLogin = (email: string, password: string, address: string) =>
  graphql(
    `
      mutation ($email: String!, $password: String!) {
        loginUser(email: $email, password: $password) {
          token
        }
      }
    `,
    { variables: { email, password }, headers: { [clientIpHeader]: address } },
  )

beforeAll(async () => {
  payload = await initPayload()
})

afterAll(async () => {
  await closePayload(payload)
})

describe('login rate limits', () => {
  it('should refuse an account after 5 failures from one address, without checking the password', async () => {
    const user = await createUser({ payload, role: 'editor' })
    const address = nextAddress()
    const statuses: number[] = []
    for (let attempt = 0; attempt < 50; attempt++) {
      statuses.push((await login(user.email, 'wrong-password-guess', address)).status)
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401])
    expect(new Set(statuses.slice(5))).toEqual(new Set([429]))

    const refused = await login(user.email, testPassword, address)
    expect(refused.status).toBe(429)
    const retryAfter = Number(refused.headers.get('retry-after'))
    expect(retryAfter).toBeGreaterThan(0)
    expect(retryAfter).toBeLessThanOrEqual(900)
    const body = (await refused.json()) as { errors: { message: string }[] }
    expect(body.errors[0].message).toMatch(
      /^Too many sign-in attempts\. Try again in \d+ minutes\.$/,
    )
    expect(JSON.stringify(body)).not.toContain(testPassword)

    // Exactly five passwords were checked; Payload's own (global) lockout counted none of them.
    expect(await countCheckedPasswords(user.email)).toBe(5)
    expect(await readLoginAttempts(payload, user)).toBe(0)
  })

  it('should count logins sent at the same time before checking any password', async () => {
    const user = await createUser({ payload, role: 'editor' })
    const address = nextAddress()
    const statuses = await statusesOf(
      Array.from({ length: 12 }, () => login(user.email, 'wrong-parallel-guess', address)),
    )
    expect(statuses.filter((status) => status === 401)).toHaveLength(5)
    expect(statuses.filter((status) => status === 429)).toHaveLength(7)
    expect(await countCheckedPasswords(user.email)).toBe(5)
  })

  it('should refuse a GraphQL request holding several sign-in operations, checking no password', async () => {
    const user = await createUser({ payload, role: 'editor' })
    const address = nextAddress()
    const headers = { [clientIpHeader]: address }
    const loginField = (alias: string) =>
      `${alias}: loginUser(email: $email, password: $password) { token }`
    const aliases = Array.from({ length: 10 }, (_, index) => loginField(`a${index}`)).join(' ')
    const variables = { email: user.email, password: 'wrong-alias-guess' }
    const declared = 'mutation ($email: String!, $password: String!)'
    for (const [query, count] of [
      [`${declared} { ${aliases} }`, 10],
      [
        `${declared} { ...Twice } fragment Twice on Mutation { ${loginField('a')} ${loginField('b')} }`,
        2,
      ],
      [`${declared} { ${loginField('a')} forgotPasswordUser(email: $email) }`, 2],
    ] as const) {
      const response = await graphql(query, { variables, headers })
      expect(response.status).toBe(400)
      const body = (await response.json()) as { data?: unknown; errors: { message: string }[] }
      expect(body.data ?? null).toBeNull()
      expect(body.errors.map((error) => error.message)).toEqual([oneSignInPerRequestMessage(count)])
    }
    expect(await countCheckedPasswords(user.email)).toBe(0)
    expect(await readAddressPoints(address)).toBe(0)
    // One sign-in per request goes on as before, and is counted.
    const single = await graphqlLogin(user.email, testPassword, address)
    const { data } = (await single.json()) as { data: { loginUser: { token: string } } }
    expect(data.loginUser.token).toEqual(expect.any(String))
    expect(await readAddressPoints(address)).toBe(1)
  })

  it('should not let failures from other addresses lock the owner out, over REST or GraphQL', async () => {
    const user = await createUser({ payload, role: 'editor' })
    // Three addresses, five wrong passwords each: more than the ten after which Payload's own
    // lockout would have refused the account to everyone.
    for (const address of [nextAddress(), nextAddress(), nextAddress()]) {
      for (let attempt = 0; attempt < 5; attempt++) {
        expect((await login(user.email, 'wrong-guess-elsewhere', address)).status).toBe(401)
      }
      expect((await graphqlLogin(user.email, 'wrong-guess-elsewhere', address)).status).toBe(429)
    }
    const owner = nextAddress()
    expect((await login(user.email, testPassword, owner)).status).toBe(200)
    const overGraphql = await graphqlLogin(user.email, testPassword, nextAddress())
    expect(overGraphql.status).toBe(200)
    expect(await countCheckedPasswords(user.email)).toBe(15)
  })

  it('should not affect the same account from another address', async () => {
    const user = await createUser({ payload, role: 'editor' })
    const blocked = nextAddress()
    for (let attempt = 0; attempt < 6; attempt++) await login(user.email, 'wrong-guess-1', blocked)
    expect((await login(user.email, testPassword, blocked)).status).toBe(429)
    expect((await login(user.email, testPassword, nextAddress())).status).toBe(200)
  })

  it('should forget the failures of an account after it signs in', async () => {
    const user = await createUser({ payload, role: 'editor' })
    const address = nextAddress()
    for (let attempt = 0; attempt < 4; attempt++) await login(user.email, 'wrong-guess-2', address)
    expect((await login(user.email, testPassword, address)).status).toBe(200)
    const afterSuccess = await statusesOf(
      Array.from({ length: 4 }, () => login(user.email, 'wrong-guess-3', address)),
    )
    expect(afterSuccess).toEqual([401, 401, 401, 401])
  })

  it('should refuse an address after 20 sign-in requests of any kind, whatever the account', async () => {
    const user = await createUser({ payload, role: 'editor' })
    const address = nextAddress()
    const headers = { [clientIpHeader]: address }
    const attempts = [
      ...Array.from({ length: 10 }, (_, index) =>
        login(`nobody-${index}@example.test`, 'x', address),
      ),
      ...Array.from({ length: 5 }, () =>
        rest('POST', '/api/users/forgot-password', { body: { email: user.email }, headers }),
      ),
      ...Array.from({ length: 5 }, () =>
        rest('POST', '/api/users/reset-password', {
          body: { token: 'not-a-reset-token', password: 'another-long-password' },
          headers,
        }),
      ),
    ]
    const statuses = await statusesOf(attempts)
    expect(statuses.filter((status) => status === 429)).toEqual([])
    expect((await login(user.email, testPassword, address)).status).toBe(429)
    const forgot = await rest('POST', '/api/users/forgot-password', {
      body: { email: user.email },
      headers,
    })
    expect(forgot.status).toBe(429)
    expect(forgot.headers.get('retry-after')).toMatch(/^\d+$/)
  })

  it('should count requests refused for the account against the address too', async () => {
    const locked = await createUser({ payload, role: 'editor' })
    const other = await createUser({ payload, role: 'editor' })
    const address = nextAddress()
    const statuses: number[] = []
    for (let attempt = 0; attempt < 20; attempt++) {
      statuses.push((await login(locked.email, 'wrong-guess-5', address)).status)
    }
    expect(statuses).toEqual([...Array<number>(5).fill(401), ...Array<number>(15).fill(429)])
    // Twenty sign-in requests from this address: the next is refused whatever the account.
    expect((await login(other.email, testPassword, address)).status).toBe(429)
    expect((await login(other.email, testPassword, nextAddress())).status).toBe(200)
  })

  it("should let an operator lift an address's limits with the runbook's statement", async () => {
    const user = await createUser({ payload, role: 'editor' })
    const address = nextAddress()
    for (let attempt = 0; attempt < 6; attempt++) await login(user.email, 'wrong-guess-4', address)
    expect((await login(user.email, testPassword, address)).status).toBe(429)
    const { drizzle } = payload.db as unknown as {
      drizzle: { execute: (query: unknown) => Promise<unknown> }
    }
    // docs/RUNBOOK.md, "Security status".
    await drizzle.execute(
      sql`DELETE FROM login_rate_limits WHERE key = ${`login-ip:${address}`} OR key LIKE ${`login-account:${address}|%`}`,
    )
    expect((await login(user.email, testPassword, address)).status).toBe(200)
  })

  it('should limit the GraphQL login mutation with a 429 and Retry-After', async () => {
    const user = await createUser({ payload, role: 'editor' })
    const address = nextAddress()
    const mutation = `mutation ($email: String!, $password: String!) {
      loginUser(email: $email, password: $password) { token }
    }`
    const attempt = (password: string) =>
      graphql(mutation, {
        variables: { email: user.email, password },
        headers: { [clientIpHeader]: address },
      })
    for (let index = 0; index < 5; index++) {
      const response = await attempt('wrong-graphql-guess')
      const body = (await response.json()) as { errors?: { message: string }[] }
      expect(body.errors?.[0].message).toMatch(/incorrect/i)
    }
    const limited = await attempt(testPassword)
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    const body = (await limited.json()) as { errors: { message: string }[]; data?: unknown }
    expect(body.errors[0].message).toMatch(/Too many sign-in attempts/)
    expect(JSON.stringify(body)).not.toMatch(/"token":"/)
  })

  it('should refuse an address it has just refused before reaching Payload, counting nothing more', async () => {
    const api = await startApiServer({
      env: { PAYLOAD_SECRET: payload.secret, TRUST_PROXY: 1 },
    })
    try {
      const address = nextAddress()
      let attempts = 0
      // A new account each time: only the per-address limit applies.
      const attempt = (headers: Record<string, string> = {}) =>
        fetch(`${api.url}/api/users/login`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': address, ...headers },
          body: JSON.stringify({
            email: `nobody-${++attempts}@example.test`,
            password: 'not-the-password',
          }),
        })
      for (let index = 0; index < 20; index++) expect((await attempt()).status).toBe(401)
      const counted = await attempt()
      expect(counted.status).toBe(429)
      const pointsAtRefusal = await readAddressPoints(address)

      // Answered by the HTTP server from the refusal it just saw; through Payload (a request with
      // an Origin) from the same memory. Same answer, and the counter is not asked again.
      for (const refused of [await attempt(), await attempt({ Origin: api.url })]) {
        expect(refused.status).toBe(429)
        const retryAfter = Number(refused.headers.get('retry-after'))
        expect(retryAfter).toBeGreaterThan(0)
        expect(retryAfter).toBeLessThanOrEqual(Number(counted.headers.get('retry-after')))
        const body = (await refused.json()) as {
          errors: { message: string; data?: { retryAfterSeconds?: number } }[]
        }
        expect(body.errors[0].message).toBe(tooManySignInAttemptsMessage(retryAfter))
        expect(body.errors[0].data?.retryAfterSeconds).toBe(retryAfter)
        expect(refused.headers.get('x-request-id')).toBeTruthy()
      }
      expect(await readAddressPoints(address)).toBe(pointsAtRefusal)
    } finally {
      await api.close()
    }
  })

  it('should share the counters with another process on the same database', async () => {
    const user = await createUser({ payload, role: 'editor' })
    const address = nextAddress()
    const { stdout } = await execFileAsync(
      process.execPath,
      [
        ...appConfigNodeOptions,
        '--import',
        'tsx',
        'tests/fixtures/failedLoginsFromAnotherProcess.ts',
        user.email,
        address,
        '5',
      ],
      { env: { ...process.env, ...limits }, timeout: 90_000 },
    )
    expect(JSON.parse(stdout.trim().split('\n').at(-1) as string)).toEqual([
      401, 401, 401, 401, 401,
    ])
    expect((await login(user.email, testPassword, address)).status).toBe(429)
  })
})
