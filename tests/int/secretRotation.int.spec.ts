import crypto from 'node:crypto'

import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose'
import { afterAll, describe, expect, it } from 'vitest'

import { collectionSlugs } from '../../collections/slugs'
import { getEnv, type R2Settings } from '../../src/config/env'
import {
  createReadinessChecks,
  type ReadinessReport,
} from '../../src/server/observability/readiness'
import {
  derivePayloadSigningKey,
  invalidTokenMessage,
} from '../../src/server/security/authorizationToken'
import { getSecurityHeaderSettings } from '../../src/server/security/securityHeaders'
import { startApiServer } from '../helpers/apiServer'
import { testPassword } from '../helpers/payload'
import { setupEditorSession } from '../helpers/session'

const env = getEnv()
const session = setupEditorSession()
const openServers: { close: () => Promise<void> }[] = []

/** The production HTTP server (request ids, operational endpoints) in front of the real API. */
const startServer = async (r2: R2Settings) => {
  const readiness = createReadinessChecks({ ...env, r2 }, { timeoutMs: 2_000 })
  const running = await startApiServer({
    readiness,
    securityHeaders: getSecurityHeaderSettings(env, false),
  })
  openServers.push({
    close: async () => {
      await running.close()
      await readiness.close()
    },
  })
  return running.url
}

afterAll(async () => {
  await Promise.all(openServers.map(({ close }) => close()))
})

const currentR2 = () => env.r2 as R2Settings

describe('R2 key rotation', () => {
  it('should answer 503 naming the bucket check with revoked keys, without echoing them', async () => {
    const revokedSecret = crypto.randomBytes(20).toString('hex')
    const url = await startServer({
      ...currentR2(),
      accessKeyId: 'REVOKEDKEYID0000000',
      secretAccessKey: revokedSecret,
    })
    const response = await fetch(`${url}/api/ready`)
    const text = await response.text()
    const report = JSON.parse(text) as ReadinessReport
    expect(response.status).toBe(503)
    expect(report.status).toBe('unavailable')
    expect(report.checks.storage).toMatchObject({ status: 'failing', backend: 'r2' })
    expect(report.checks.storage.error).toBeTruthy()
    expect(report.checks.database.status).toBe('ok')
    expect(text).not.toContain(revokedSecret)
  })

  it('should answer 200 with the new, valid keys', async () => {
    const url = await startServer(currentR2())
    const response = await fetch(`${url}/api/ready`)
    const report = (await response.json()) as ReadinessReport
    expect(response.status).toBe(200)
    expect(report.checks.storage).toMatchObject({ status: 'ok', backend: 'r2' })
  })
})

/** The same session's token as the app issued it, re-signed with the key of another secret. */
const signWithSecret = (token: string, secret: string, claims: Record<string, unknown> = {}) =>
  new SignJWT({ ...decodeJwt(token), ...claims })
    .setProtectedHeader(decodeProtectedHeader(token) as { alg: string })
    .sign(derivePayloadSigningKey(secret))

describe('PAYLOAD_SECRET rotation', () => {
  const call = async (url: string, method: string, path: string, token: string, body?: unknown) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        Authorization: `JWT ${token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    return {
      status: response.status,
      authenticate: response.headers.get('www-authenticate'),
      text: await response.text(),
    }
  }

  it('should let a client still sending a token from before the rotation sign in again', async () => {
    const url = await startServer(currentR2())
    const oldToken = await signWithSecret(session.token, crypto.randomBytes(32).toString('hex'))
    const login = await call(url, 'POST', `/api/${collectionSlugs.users}/login`, oldToken, {
      email: session.email,
      password: testPassword,
    })
    expect(login.status).toBe(200)
    const { token } = JSON.parse(login.text) as { token: string }
    const me = await call(url, 'GET', `/api/${collectionSlugs.users}/me`, token)
    expect(me.status).toBe(200)
    expect((JSON.parse(me.text) as { user: { id: number } | null }).user?.id).toBeTruthy()
  })

  it('should accept a token re-signed with the current secret: only the signature decides', async () => {
    const url = await startServer(currentR2())
    const resigned = await signWithSecret(session.token, env.PAYLOAD_SECRET)
    const me = await call(url, 'GET', `/api/${collectionSlugs.users}/me`, resigned)
    expect(me.status).toBe(200)
    expect((JSON.parse(me.text) as { user: { id: number } | null }).user?.id).toBeTruthy()
  })

  it('should answer 401 to every API call with a token signed before the rotation', async () => {
    const url = await startServer(currentR2())
    const oldSecret = crypto.randomBytes(32).toString('hex')
    const oldToken = await signWithSecret(session.token, oldSecret)
    const countBefore = (await session.payload.count({ collection: collectionSlugs.categories }))
      .totalDocs

    const outcomes = [
      await call(url, 'GET', `/api/${collectionSlugs.users}/me`, oldToken),
      await call(url, 'POST', `/api/${collectionSlugs.categories}`, oldToken, {
        name: 'Written with a token from before the rotation',
      }),
      await call(url, 'POST', `/api/${collectionSlugs.users}/refresh-token`, oldToken),
      await call(url, 'GET', '/api/catalog', oldToken),
      await call(url, 'POST', '/api/graphql', oldToken, { query: '{ meUser { user { id } } }' }),
    ]
    for (const outcome of outcomes) {
      expect(outcome.status).toBe(401)
      expect(outcome.authenticate).toBe('JWT error="invalid_token"')
      expect(JSON.parse(outcome.text)).toMatchObject({
        errors: [{ message: invalidTokenMessage }],
      })
      expect(outcome.text).not.toContain(oldSecret)
      expect(outcome.text).not.toContain(env.PAYLOAD_SECRET)
    }
    expect(
      (await session.payload.count({ collection: collectionSlugs.categories })).totalDocs,
    ).toBe(countBefore)
  })

  it('should answer 401 to an expired token, and serve public reads without any token', async () => {
    const url = await startServer(currentR2())
    const expired = await signWithSecret(session.token, env.PAYLOAD_SECRET, {
      exp: Math.floor(Date.now() / 1000) - 60,
    })
    expect((await call(url, 'GET', `/api/${collectionSlugs.items}`, expired)).status).toBe(401)
    expect((await fetch(`${url}/api/${collectionSlugs.items}`)).status).toBe(200)
  })
})
