import { APIError } from 'payload'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

import { rest } from '../helpers/http'
import { setupEditorSession } from '../helpers/session'
import { uploadMedia } from '../helpers/uploads'

const session = setupEditorSession()

type ErrorBody = { errors?: { message?: string; name?: string }[] }

/**
 * In the production build Payload's APIError is an anonymous class (`class extends o {…}`), so
 * `this.constructor.name` — the name Payload gives each error — is empty, and Payload's REST
 * formatter answers an error without `data` and without a name with "An unknown error occurred.".
 * The tests here run with that name stripped, as it is there.
 */
let apiErrorName: string
beforeEach(() => {
  apiErrorName = APIError.name
  Object.defineProperty(APIError, 'name', { value: '', configurable: true })
})
afterEach(() => {
  Object.defineProperty(APIError, 'name', { value: apiErrorName, configurable: true })
})

describe('error answers of our own endpoints and hooks in the production build', () => {
  it('should say what a two-factor endpoint refused, with its 409', async () => {
    const response = await rest('POST', '/api/users/2fa/confirm', {
      token: session.token,
      body: { code: '123456' },
    })
    expect(response.status).toBe(409)
    const body = (await response.json()) as ErrorBody
    expect(body.errors?.[0]?.message).toBe(
      'Start with POST /api/users/2fa/setup, then confirm with a code.',
    )
  })

  it('should say which files an upload takes, with its 415', async () => {
    const response = await uploadMedia({
      token: session.token,
      data: Buffer.from('plain text, not an image\n'),
      filename: 'notes.jpg',
    })
    expect(response.status).toBe(415)
    const body = (await response.json()) as ErrorBody
    expect(body.errors?.[0]?.message).toMatch(/^Only JPEG, .* images are accepted; this file is/)
  })

  it("should keep the message of Payload's own refusals, such as a bulk delete without where", async () => {
    for (const method of ['DELETE', 'PATCH'] as const) {
      const response = await rest(method, '/api/items', {
        token: session.token,
        body: method === 'PATCH' ? { name: 'Everything' } : undefined,
      })
      expect(response.status).toBe(400)
      const body = (await response.json()) as ErrorBody
      expect(body.errors?.[0]?.message, method).toMatch(/where/)
    }
  })
})
