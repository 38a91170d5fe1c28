import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { collectionSlugs } from '../../collections/slugs'
import type { User } from '../../payload-types'
import { graphql, loginToken, rest } from '../helpers/http'
import { closePayload, createUser, initPayload, testPassword } from '../helpers/payload'
import { refreshAttempts, refusedToken, userOfToken } from '../helpers/tokens'

let payload: Payload
let admin: User
let editor: User

beforeAll(async () => {
  payload = await initPayload()
  admin = await createUser({ payload, role: 'admin' })
  editor = await createUser({ payload, role: 'editor' })
})

afterAll(async () => {
  await closePayload(payload)
})

describe('roles', () => {
  it('should not let an editor promote themselves', async () => {
    const token = await loginToken(editor.email, testPassword)
    const response = await rest('PATCH', `/api/users/${editor.id}`, {
      token,
      body: { role: 'admin', name: 'Renamed' },
    })
    expect(response.status).toBe(200)
    const read = await payload.findByID({ collection: collectionSlugs.users, id: editor.id })
    expect(read.role).toBe('editor')
    expect(read.name).toBe('Renamed')
  })

  it('should not let an editor read or change other users', async () => {
    const token = await loginToken(editor.email, testPassword)
    expect((await rest('GET', `/api/users/${admin.id}`, { token })).status).toBe(404)
    expect(
      (await rest('PATCH', `/api/users/${admin.id}`, { token, body: { name: 'x' } })).status,
    ).toBe(403)
    const list = (await (await rest('GET', '/api/users?limit=100', { token })).json()) as {
      docs: User[]
    }
    expect(list.docs.map((user) => user.id)).toEqual([editor.id])
  })

  it('should let an admin change a role', async () => {
    const other = await createUser({ payload, role: 'editor' })
    const token = await loginToken(admin.email, testPassword)
    const response = await rest('PATCH', `/api/users/${other.id}`, {
      token,
      body: { role: 'admin' },
    })
    expect(response.status).toBe(200)
    const read = await payload.findByID({ collection: collectionSlugs.users, id: other.id })
    expect(read.role).toBe('admin')
  })

  it('should refuse to create users anonymously', async () => {
    const response = await rest('POST', '/api/users', {
      body: { email: 'intruder@example.test', password: testPassword, role: 'admin' },
    })
    expect(response.status).toBe(403)
  })

  it('should never return password hashes or salts', async () => {
    const token = await loginToken(admin.email, testPassword)
    const text = await (await rest('GET', '/api/users?limit=100', { token })).text()
    expect(text).not.toMatch(/"(hash|salt)"/)
  })
})

describe('sessions end when the password changes', () => {
  const newPassword = 'a-new-long-password-for-sessions'

  it('should end the other sessions of a user who changes their password, keeping theirs', async () => {
    const user = await createUser({ payload, role: 'editor' })
    const other = await loginToken(user.email, testPassword)
    const token = await loginToken(user.email, testPassword)
    const changed = await rest('PATCH', `/api/users/${user.id}`, {
      token,
      body: { password: newPassword },
    })
    expect(changed.status).toBe(200)
    expect(await userOfToken(other)).toBeNull()
    expect(await refreshAttempts(other)).toEqual(refusedToken)
    expect(await userOfToken(token)).toBe(user.id)
  })

  it('should end every session of a user whose password an admin sets', async () => {
    const user = await createUser({ payload, role: 'editor' })
    const token = await loginToken(user.email, testPassword)
    const adminToken = await loginToken(admin.email, testPassword)
    const changed = await rest('PATCH', `/api/users/${user.id}`, {
      token: adminToken,
      body: { password: newPassword },
    })
    expect(changed.status).toBe(200)
    expect(await userOfToken(token)).toBeNull()
    expect(await refreshAttempts(token)).toEqual(refusedToken)
    expect(await userOfToken(adminToken)).toBe(admin.id)
  })

  it('should end every earlier session when a password is reset with a reset token', async () => {
    const user = await createUser({ payload, role: 'editor' })
    const token = await loginToken(user.email, testPassword)
    const resetToken = await payload.forgotPassword({
      collection: collectionSlugs.users,
      data: { email: user.email },
      disableEmail: true,
    })
    const reset = await rest('POST', '/api/users/reset-password', {
      body: { token: resetToken, password: newPassword },
    })
    expect(reset.status).toBe(200)
    expect(await userOfToken(token)).toBeNull()
    expect(await refreshAttempts(token)).toEqual(refusedToken)
  })
})

describe('forgot password', () => {
  const readResetToken = async (id: number) =>
    (
      await payload.db.findOne<{ id: number; resetPasswordToken?: string | null }>({
        collection: collectionSlugs.users,
        where: { id: { equals: id } },
      })
    )?.resetPasswordToken

  it('should answer an account and an unknown email alike, over REST and GraphQL, and still issue the reset token', async () => {
    const [overRest, overGraphql] = [
      await createUser({ payload, role: 'editor' }),
      await createUser({ payload, role: 'editor' }),
    ]
    const restAnswers = []
    for (const email of [overRest.email, 'nobody-forgot@example.test']) {
      const response = await rest('POST', '/api/users/forgot-password', { body: { email } })
      restAnswers.push([response.status, await response.json()])
    }
    expect(restAnswers).toEqual([
      [200, { message: 'Success' }],
      [200, { message: 'Success' }],
    ])
    const graphqlAnswers = []
    for (const email of [overGraphql.email, 'nobody-forgot@example.test']) {
      const response = await graphql(
        'mutation ($email: String!) { forgotPasswordUser(email: $email) }',
        {
          variables: { email },
        },
      )
      graphqlAnswers.push([response.status, await response.json()])
    }
    expect(graphqlAnswers).toEqual([
      [200, { data: { forgotPasswordUser: true } }],
      [200, { data: { forgotPasswordUser: true } }],
    ])
    expect(await readResetToken(overRest.id)).toMatch(/^[0-9a-f]{40}$/)
    expect(await readResetToken(overGraphql.id)).toMatch(/^[0-9a-f]{40}$/)
  })
})
