import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { collectionSlugs } from '../../collections/slugs'
import type { User } from '../../payload-types'
import { loginToken, rest } from '../helpers/http'
import { closePayload, createUser, initPayload, testPassword } from '../helpers/payload'

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
