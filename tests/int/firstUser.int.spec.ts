import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { collectionSlugs } from '../../collections/slugs'
import { rest } from '../helpers/http'
import { closePayload, initPayload, testPassword } from '../helpers/payload'

let payload: Payload

beforeAll(async () => {
  payload = await initPayload()
  // This file needs an empty users table; the files before it leave users behind.
  await payload.delete({ collection: collectionSlugs.users, where: { id: { exists: true } } })
})

afterAll(async () => {
  await closePayload(payload)
})

describe('the first user', () => {
  it('should become an admin through first-register, even when asking to be an editor', async () => {
    const response = await rest('POST', '/api/users/first-register', {
      body: { email: 'first@example.test', password: testPassword, role: 'editor' },
    })
    expect(response.status).toBe(200)
    const { docs } = await payload.find({
      collection: collectionSlugs.users,
      where: { email: { equals: 'first@example.test' } },
    })
    expect(docs[0]?.role).toBe('admin')
  })

  it('should refuse a second first-register', async () => {
    const response = await rest('POST', '/api/users/first-register', {
      body: { email: 'second@example.test', password: testPassword },
    })
    expect(response.status).toBe(403)
  })

  it('should make later users editors by default', async () => {
    const user = await payload.create({
      collection: collectionSlugs.users,
      data: { email: 'later@example.test', password: testPassword } as never,
    })
    expect(user.role).toBe('editor')
  })
})
