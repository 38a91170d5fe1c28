import { sql, type PostgresAdapter } from '@payloadcms/db-postgres'
import { generate } from 'otplib'
import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { collectionSlugs } from '../../collections/slugs'
import type { User } from '../../payload-types'
import { encryptTotpSecret } from '../../plugins/twoFactor/utilities/secretStorage'

// Set before the app modules load: this file runs the app as a deployment that requires admins to
// use two-factor authentication. Every other file runs with the default (not required).
process.env.REQUIRE_2FA_FOR_ADMINS = 'true'

const { closePayload, createUser, initPayload, readLoginAttempts, testPassword } =
  await import('../helpers/payload')
const { graphql, loginToken, rest } = await import('../helpers/http')
const { refreshAttempts, refusedToken, userOfToken } = await import('../helpers/tokens')

let payload: Payload

type Enrolment = { totpSecret: string; backupCodes: string[] }
type ErrorBody = { errors: { message: string; data?: Record<string, unknown> }[] }

/**
 * A code for the step `stepOffset` periods from now. Each user starts at step 0 (enrolment), and
 * the server accepts one step either side, so offsets 0 and 1 are always valid within one test.
 */
const codeFor = (totpSecret: string, stepOffset = 0) =>
  generate({ secret: totpSecret, epoch: Math.floor(Date.now() / 1000) + stepOffset * 30 })

const secretFromUri = (otpauthUri: string) =>
  new URL(otpauthUri).searchParams.get('secret') as string

const login = (email: string, body: Record<string, unknown> = {}, headers = {}) =>
  rest('POST', '/api/users/login', { body: { email, password: testPassword, ...body }, headers })

const enrol = async (token: string): Promise<Enrolment> => {
  const setup = await rest('POST', '/api/users/2fa/setup', { token })
  expect(setup.status).toBe(200)
  const { otpauthUri } = (await setup.json()) as { otpauthUri: string }
  const totpSecret = secretFromUri(otpauthUri)
  const confirm = await rest('POST', '/api/users/2fa/confirm', {
    token,
    body: { code: await codeFor(totpSecret) },
  })
  expect(confirm.status).toBe(200)
  const { backupCodes } = (await confirm.json()) as { backupCodes: string[] }
  return { totpSecret, backupCodes }
}

/** A new user of the role, enrolled, with a token from before enrolment (still valid). */
const enrolledUser = async (role: 'admin' | 'editor') => {
  const user = await createUser({ payload, role })
  const token = await loginToken(user.email, testPassword)
  return { user, token, ...(await enrol(token)) }
}

const storedTwoFactorColumns = async (user: User) =>
  payload.db.findOne<{ id: number; totpSecret: string | null; backupCodes: string | null }>({
    collection: collectionSlugs.users,
    where: { id: { equals: user.id } },
  })

beforeAll(async () => {
  payload = await initPayload()
})

afterAll(async () => {
  await closePayload(payload)
})

describe('two-factor enrolment', () => {
  it('should answer an otpauth URI and a QR code, then ten backup codes once for a valid code', async () => {
    const user = await createUser({ payload, role: 'editor' })
    const token = await loginToken(user.email, testPassword)

    const setup = await rest('POST', '/api/users/2fa/setup', { token })
    expect(setup.status).toBe(200)
    expect(setup.headers.get('cache-control')).toBe('no-store')
    const enrolment = (await setup.json()) as {
      otpauthUri: string
      qrCodeDataUrl: string
      manualEntryKey: string
    }
    expect(enrolment.otpauthUri).toMatch(/^otpauth:\/\/totp\/catalog-cms:/)
    expect(enrolment.otpauthUri).toContain(encodeURIComponent(user.email))
    expect(enrolment.qrCodeDataUrl).toMatch(/^data:image\/png;base64,/)
    const totpSecret = secretFromUri(enrolment.otpauthUri)
    expect(enrolment.manualEntryKey.replace(/ /g, '')).toBe(totpSecret)

    const wrong = await rest('POST', '/api/users/2fa/confirm', { token, body: { code: '000000' } })
    expect(wrong.status).toBe(400)
    expect(((await wrong.json()) as ErrorBody).errors[0].message).toMatch(/code is not valid/)
    const stillOff = await rest('GET', '/api/users/me', { token })
    expect(((await stillOff.json()) as { user: User }).user.twoFactorEnabled).toBe(false)
    // Not enrolled yet: the password alone still signs in.
    expect((await login(user.email)).status).toBe(200)

    const confirm = await rest('POST', '/api/users/2fa/confirm', {
      token,
      body: { code: await codeFor(totpSecret) },
    })
    expect(confirm.status).toBe(200)
    expect(confirm.headers.get('cache-control')).toBe('no-store')
    const { backupCodes } = (await confirm.json()) as { backupCodes: string[] }
    expect(backupCodes).toHaveLength(10)
    expect(new Set(backupCodes).size).toBe(10)
    for (const backupCode of backupCodes) expect(backupCode).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/)

    const again = await rest('POST', '/api/users/2fa/confirm', {
      token,
      body: { code: await codeFor(totpSecret, 1) },
    })
    expect(again.status).toBe(409)
    expect(JSON.stringify(await again.json())).not.toMatch(/backupCodes/)
    const restart = await rest('POST', '/api/users/2fa/setup', { token })
    expect(restart.status).toBe(409)

    const me = await rest('GET', '/api/users/me', { token })
    expect(((await me.json()) as { user: User }).user.twoFactorEnabled).toBe(true)
  })

  it('should answer 401 to the enrolment endpoints without a session', async () => {
    for (const path of [
      '/api/users/2fa/setup',
      '/api/users/2fa/confirm',
      '/api/users/2fa/disable',
    ]) {
      const response = await rest('POST', path, { body: { code: '123456' } })
      expect(response.status).toBe(401)
      expect(((await response.json()) as ErrorBody).errors[0].message).toMatch(/^Log in first/)
    }
  })

  it('should refuse malformed confirmation input with a 4xx and change nothing', async () => {
    const user = await createUser({ payload, role: 'editor' })
    const token = await loginToken(user.email, testPassword)
    await rest('POST', '/api/users/2fa/setup', { token })
    const before = await storedTwoFactorColumns(user)
    for (const body of [
      '{"code": ',
      { code: 123456 },
      { code: { $gt: '' } },
      { code: 'x'.repeat(100_000) },
      { code: null },
      ['123456'],
    ]) {
      const response = await rest('POST', '/api/users/2fa/confirm', { token, body })
      expect(response.status).toBe(400)
    }
    expect(await storedTwoFactorColumns(user)).toEqual(before)
    const me = await rest('GET', '/api/users/me', { token })
    expect(((await me.json()) as { user: User }).user.twoFactorEnabled).toBe(false)
  })
})

describe('login with two-factor authentication', () => {
  it('should refuse the password alone with a 401 that asks for the code, and accept a valid code once', async () => {
    const { user, totpSecret } = await enrolledUser('editor')

    const passwordOnly = await login(user.email)
    expect(passwordOnly.status).toBe(401)
    expect(passwordOnly.headers.get('set-cookie')).toBeNull()
    const refusal = (await passwordOnly.json()) as ErrorBody & { token?: string }
    expect(refusal.token).toBeUndefined()
    expect(refusal.errors[0].data).toEqual({ twoFactorRequired: true })
    expect(refusal.errors[0].message).toMatch(/two-factor authentication/)

    const wrong = await login(user.email, { totp: '000000' })
    expect(wrong.status).toBe(401)
    expect(((await wrong.json()) as ErrorBody).errors[0].message).toMatch(
      /^The two-factor code is not valid/,
    )

    // The code used at enrolment was spent there; the next step's code is fresh.
    const nextCode = await codeFor(totpSecret, 1)
    const accepted = await login(user.email, { totp: nextCode })
    expect(accepted.status).toBe(200)
    const { token } = (await accepted.json()) as { token: string }
    const me = await rest('GET', '/api/users/me', { token })
    expect(((await me.json()) as { user: User }).user.id).toBe(user.id)

    const replayed = await login(user.email, { totp: nextCode })
    expect(replayed.status).toBe(401)
  })

  it('should count wrong and missing codes against the per-account limit, and clear it on success', async () => {
    const { user, totpSecret, backupCodes } = await enrolledUser('editor')
    const failures = [undefined, '111111', 'not-a-code', undefined]
    for (const totp of failures) expect((await login(user.email, { totp })).status).toBe(401)
    const accepted = await login(user.email, { totp: await codeFor(totpSecret, 1) })
    expect(accepted.status).toBe(200)
    // Cleared by the success: five more wrong codes are each checked, the sixth try is refused.
    for (let attempt = 0; attempt < 5; attempt++) {
      expect((await login(user.email, { totp: '222222' })).status).toBe(401)
    }
    expect((await login(user.email, { totp: backupCodes[0] })).status).toBe(429)
    // Payload's own lockout is off: nothing is counted on the account itself.
    expect(await readLoginAttempts(payload, user)).toBe(0)
  })

  it('should tell a user whose enrolment no longer decrypts to ask an admin, without counting a failure', async () => {
    const { user, totpSecret } = await enrolledUser('editor')
    // What a PAYLOAD_SECRET rotation leaves behind: a secret encrypted with a key the server lost.
    await payload.db.updateOne({
      collection: collectionSlugs.users,
      id: user.id,
      data: {
        totpSecret: encryptTotpSecret({
          appSecret: 'the-secret-before-the-rotation-0123456789abcdef',
          userId: user.id,
          totpSecret,
        }),
      },
    })

    // More tries than the per-account limit (5): none is counted, each gets the same answer.
    for (let attempt = 0; attempt < 6; attempt++) {
      const refused = await login(user.email, { totp: await codeFor(totpSecret, 1) })
      expect(refused.status).toBe(403)
      const [error] = ((await refused.json()) as ErrorBody).errors
      expect(error.message).toMatch(/^Your two-factor enrolment cannot be read on this server/)
      expect(error.message).toMatch(/ask an admin to reset it/)
      // Not "send a code": no code can be right, so the login form must not ask for another one.
      expect(error.data?.twoFactorRequired).toBeUndefined()
    }
    expect(await readLoginAttempts(payload, user)).toBe(0)
  })

  it('should accept each backup code once, typed in any case and with spaces', async () => {
    const { user, backupCodes } = await enrolledUser('editor')
    const first = await login(user.email, { totp: backupCodes[0] })
    expect(first.status).toBe(200)
    const reused = await login(user.email, { totp: backupCodes[0] })
    expect(reused.status).toBe(401)
    const typed = ` ${backupCodes[1].toUpperCase().replace('-', ' ')} `
    expect((await login(user.email, { totp: typed })).status).toBe(200)
    const usedRows = await (payload.db as unknown as PostgresAdapter).drizzle.execute(
      sql`SELECT "code_key" FROM "two_factor_used_codes" WHERE "user_id" = ${user.id}`,
    )
    expect(usedRows.rows.filter((row) => String(row.code_key).startsWith('backup:'))).toHaveLength(
      2,
    )
  })

  it('should let only one of two simultaneous logins spend the same backup code', async () => {
    const { user, backupCodes } = await enrolledUser('editor')
    const statuses = (
      await Promise.all([
        login(user.email, { totp: backupCodes[2] }),
        login(user.email, { totp: backupCodes[2] }),
      ])
    ).map((response) => response.status)
    expect(statuses.sort()).toEqual([200, 401])
  })

  it('should take the code from the X-TOTP-Code header on REST and GraphQL', async () => {
    const { user, totpSecret, backupCodes } = await enrolledUser('editor')
    const mutation = `mutation ($email: String!, $password: String!) {
      loginUser(email: $email, password: $password) { token user { email } }
    }`
    const variables = { email: user.email, password: testPassword }

    const withoutCode = await graphql(mutation, { variables })
    const refused = (await withoutCode.json()) as {
      data: { loginUser: null } | null
      errors: { message: string; extensions: { statusCode: number } }[]
    }
    expect(refused.data?.loginUser ?? null).toBeNull()
    expect(refused.errors[0].extensions.statusCode).toBe(401)
    expect(refused.errors[0].message).toMatch(/X-TOTP-Code/)

    const withCode = await graphql(mutation, {
      variables,
      headers: { 'X-TOTP-Code': await codeFor(totpSecret, 1) },
    })
    const accepted = (await withCode.json()) as { data: { loginUser: { token: string } } }
    expect(accepted.data.loginUser.token).toEqual(expect.any(String))

    // The step-1 code is spent now: a backup code proves the header path on REST.
    const viaHeader = await login(user.email, {}, { 'X-TOTP-Code': backupCodes[0] })
    expect(viaHeader.status).toBe(200)
  })

  it('should not let the password reset flow sign in without the code', async () => {
    const { user, totpSecret } = await enrolledUser('editor')
    const resetToken = await payload.forgotPassword({
      collection: collectionSlugs.users,
      data: { email: user.email },
      disableEmail: true,
    })
    const newPassword = 'another-long-password-123'
    const withoutCode = await rest('POST', '/api/users/reset-password', {
      body: { token: resetToken, password: newPassword },
    })
    expect(withoutCode.status).toBe(401)
    expect(withoutCode.headers.get('set-cookie')).toBeNull()
    // Rolled back: the old password still works (with a code).
    const stillOld = await login(user.email, { totp: await codeFor(totpSecret, 1) })
    expect(stillOld.status).toBe(200)
  })
})

describe('two-factor secrets stay on the server', () => {
  it('should never show the secret, backup codes or their stored forms in responses or audit rows', async () => {
    const admin = await enrolledUser('admin')
    const { user, token, totpSecret, backupCodes } = await enrolledUser('editor')
    const stored = await storedTwoFactorColumns(user)
    const secrets = [
      totpSecret,
      ...backupCodes,
      stored?.totpSecret as string,
      ...JSON.parse(stored?.backupCodes ?? '[]'),
    ]
    expect(secrets.every(Boolean)).toBe(true)

    const responses = [
      await rest('GET', '/api/users/me', { token }),
      await rest('GET', `/api/users/${user.id}`, { token }),
      await rest('GET', `/api/users/${user.id}`, { token: admin.token }),
      await rest('GET', '/api/users?limit=100', { token: admin.token }),
      await login(user.email, { totp: backupCodes[0] }),
      await graphql(
        `
          {
            meUser {
              user {
                id
                email
                twoFactorEnabled
              }
            }
          }
        `,
        { token },
      ),
      await graphql(
        `
          query ($id: Int!) {
            User(id: $id) {
              id
              email
              twoFactorEnabled
            }
          }
        `,
        {
          token: admin.token,
          variables: { id: user.id },
        },
      ),
    ]
    for (const response of responses) {
      expect(response.status).toBe(200)
      const text = await response.text()
      expect(text).toContain(user.email)
      for (const secret of secrets) expect(text).not.toContain(secret)
      expect(text).not.toMatch(/totpSecret|backupCodes|totpLastTimeStep/)
    }

    // GraphQL's schema lists hidden fields, but they always resolve to null, even for admins.
    const asked = await graphql(
      `
        query ($id: Int!) {
          User(id: $id) {
            totpSecret
            backupCodes
            totpLastTimeStep
          }
        }
      `,
      { token: admin.token, variables: { id: user.id } },
    )
    expect(await asked.json()).toEqual({
      data: { User: { totpSecret: null, backupCodes: null, totpLastTimeStep: null } },
    })

    const { docs: auditRows } = await payload.find({
      collection: 'audit-logs',
      where: { documentId: { equals: String(user.id) } },
      pagination: false,
      overrideAccess: true,
    })
    const enabledRow = auditRows.find((row) =>
      JSON.stringify(row.changes).includes('twoFactorEnabled'),
    )
    expect(enabledRow).toBeDefined()
    const auditText = JSON.stringify(auditRows)
    for (const secret of secrets) expect(auditText).not.toContain(secret)
  })

  it('should ignore attempts to write the two-factor fields through the collection API', async () => {
    const admin = await enrolledUser('admin')
    const { user, token } = await enrolledUser('editor')
    const before = await storedTwoFactorColumns(user)
    for (const requestToken of [token, admin.token]) {
      const response = await rest('PATCH', `/api/users/${user.id}`, {
        token: requestToken,
        body: { twoFactorEnabled: false, totpSecret: 'AAAA', backupCodes: '[]', name: 'Renamed' },
      })
      expect(response.status).toBe(200)
    }
    const after = await storedTwoFactorColumns(user)
    expect(after?.totpSecret).toBe(before?.totpSecret)
    expect(after?.backupCodes).toBe(before?.backupCodes)
    expect((await login(user.email)).status).toBe(401)
  })
})

describe('turning two-factor authentication off', () => {
  it('should need a valid code or the password, then let the password alone sign in', async () => {
    const { user, token, totpSecret } = await enrolledUser('editor')
    const wrong = await rest('POST', '/api/users/2fa/disable', { token, body: { code: '000000' } })
    expect(wrong.status).toBe(403)
    const wrongPassword = await rest('POST', '/api/users/2fa/disable', {
      token,
      body: { password: 'not-the-password' },
    })
    expect(wrongPassword.status).toBe(403)
    expect((await login(user.email)).status).toBe(401)

    const withCode = await rest('POST', '/api/users/2fa/disable', {
      token,
      body: { code: await codeFor(totpSecret, 1) },
    })
    expect(withCode.status).toBe(200)
    expect((await login(user.email)).status).toBe(200)
    expect(await storedTwoFactorColumns(user)).toMatchObject({
      totpSecret: null,
      backupCodes: null,
    })

    const { token: secondToken } = await enrolledUser('editor')
    const withPassword = await rest('POST', '/api/users/2fa/disable', {
      token: secondToken,
      body: { password: testPassword },
    })
    expect(withPassword.status).toBe(200)
  })

  it('should let an enrolled admin reset another user, and nobody else', async () => {
    const admin = await enrolledUser('admin')
    const editor = await enrolledUser('editor')
    const other = await enrolledUser('editor')

    const byEditor = await rest('POST', `/api/users/${other.user.id}/2fa/reset`, {
      token: editor.token,
    })
    expect(byEditor.status).toBe(403)
    const missing = await rest('POST', '/api/users/999999999/2fa/reset', { token: admin.token })
    expect(missing.status).toBe(404)
    const self = await rest('POST', `/api/users/${admin.user.id}/2fa/reset`, {
      token: admin.token,
    })
    expect(self.status).toBe(400)

    const reset = await rest('POST', `/api/users/${other.user.id}/2fa/reset`, {
      token: admin.token,
    })
    expect(reset.status).toBe(200)
    expect((await login(other.user.email)).status).toBe(200)
  })
})

describe('sessions end when the second factor changes', () => {
  it('should end the sessions from before enrolment, keeping the one that enrolled', async () => {
    const user = await createUser({ payload, role: 'editor' })
    // A token taken with the password alone, and one renewed from it, before the owner enrols.
    const stolen = await loginToken(user.email, testPassword)
    const renewed = (await refreshAttempts(stolen)).rest.refreshedToken as string
    expect(await userOfToken(renewed)).toBe(user.id)
    const token = await loginToken(user.email, testPassword)

    await enrol(token)
    for (const ended of [stolen, renewed]) {
      expect(await userOfToken(ended)).toBeNull()
      expect(await refreshAttempts(ended)).toEqual(refusedToken)
      // Still signed in, this would be 409 (two-factor is already on).
      expect((await rest('POST', '/api/users/2fa/setup', { token: ended })).status).toBe(401)
    }
    // The session that enrolled proved both factors: it stays signed in and renews.
    expect(await userOfToken(token)).toBe(user.id)
    const renewal = await refreshAttempts(token)
    expect(renewal.rest.status).toBe(200)
    expect(renewal.graphql.refreshedToken).toEqual(expect.any(String))
  })

  it('should end the other sessions when two-factor is turned off, keeping the one that did it', async () => {
    const { user, token, totpSecret, backupCodes } = await enrolledUser('editor')
    const other = await login(user.email, { totp: backupCodes[0] })
    const { token: otherToken } = (await other.json()) as { token: string }
    expect(await userOfToken(otherToken)).toBe(user.id)

    const disabled = await rest('POST', '/api/users/2fa/disable', {
      token,
      body: { code: await codeFor(totpSecret, 1) },
    })
    expect(disabled.status).toBe(200)
    expect(await userOfToken(otherToken)).toBeNull()
    expect(await refreshAttempts(otherToken)).toEqual(refusedToken)
    expect(await userOfToken(token)).toBe(user.id)
  })

  it('should end every session of a user whose two-factor an admin resets', async () => {
    const admin = await enrolledUser('admin')
    const target = await enrolledUser('editor')
    const second = await login(target.user.email, { totp: target.backupCodes[0] })
    const { token: secondToken } = (await second.json()) as { token: string }

    const reset = await rest('POST', `/api/users/${target.user.id}/2fa/reset`, {
      token: admin.token,
    })
    expect(reset.status).toBe(200)
    for (const ended of [target.token, secondToken]) {
      expect(await userOfToken(ended)).toBeNull()
      expect(await refreshAttempts(ended)).toEqual(refusedToken)
    }
    expect(await userOfToken(admin.token)).toBe(admin.user.id)
  })

  it('should keep every session when enrolment is refused for a wrong code', async () => {
    const user = await createUser({ payload, role: 'editor' })
    const other = await loginToken(user.email, testPassword)
    const token = await loginToken(user.email, testPassword)
    await rest('POST', '/api/users/2fa/setup', { token })
    const wrong = await rest('POST', '/api/users/2fa/confirm', { token, body: { code: '000000' } })
    expect(wrong.status).toBe(400)
    expect(await userOfToken(other)).toBe(user.id)
  })
})

describe('REQUIRE_2FA_FOR_ADMINS', () => {
  it('should let an admin without two-factor log in but do nothing except enrol', async () => {
    const admin = await createUser({ payload, role: 'admin' })
    const editor = await createUser({ payload, role: 'editor' })
    const login200 = await login(admin.email)
    expect(login200.status).toBe(200)
    const { token } = (await login200.json()) as { token: string }

    for (const [method, path, body] of [
      ['GET', '/api/items', undefined],
      ['GET', '/api/categories', undefined],
      ['POST', '/api/categories', { name: 'Gate test', _status: 'draft' }],
      ['GET', '/api/globals/site-settings', undefined],
      ['PATCH', `/api/users/${editor.id}`, { role: 'admin' }],
      ['DELETE', `/api/users/${editor.id}`, undefined],
      ['GET', '/api/audit-logs', undefined],
    ] as const) {
      const response = await rest(method, path, { token, body })
      expect({ path, method, status: response.status }).toEqual({ path, method, status: 403 })
      const { errors } = (await response.json()) as ErrorBody
      expect(errors[0].message).toMatch(/\/api\/users\/2fa\/setup/)
    }
    const gql = await graphql(
      `
        {
          Items {
            docs {
              id
            }
          }
        }
      `,
      { token },
    )
    expect(JSON.stringify(await gql.json())).toMatch(/two-factor authentication/)

    // Their own account stays readable, other accounts do not show up.
    const me = await rest('GET', '/api/users/me', { token })
    expect(((await me.json()) as { user: User }).user.id).toBe(admin.id)
    const users = await rest('GET', '/api/users?limit=100', { token })
    const { docs } = (await users.json()) as { docs: User[] }
    expect(docs.map((doc) => doc.id)).toEqual([admin.id])
    const stillEditor = await payload.findByID({ collection: collectionSlugs.users, id: editor.id })
    expect(stillEditor.role).toBe('editor')

    await enrol(token)
    const items = await rest('GET', '/api/items', { token })
    expect(items.status).toBe(200)
  })

  it('should leave editors without two-factor alone', async () => {
    const editor = await createUser({ payload, role: 'editor' })
    const token = await loginToken(editor.email, testPassword)
    const created = await rest('POST', '/api/categories', {
      token,
      body: { name: `Editor category ${Date.now()}`, _status: 'draft' },
    })
    expect(created.status).toBe(201)
  })
})
