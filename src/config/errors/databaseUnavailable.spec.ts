import { describe, expect, it } from 'vitest'

import { recordDatabaseFailure } from '../../database/failureScope'
import { databaseUnavailableMessage } from '../../database/unavailable'
import { withDatabaseUnavailableAnswer } from './databaseUnavailable'

const refused = () =>
  Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { code: 'ECONNREFUSED' })

const request = (method: string, headers: Record<string, string> = {}) =>
  new Request('http://localhost/api/items', {
    method,
    headers: { 'x-request-id': 'req-42', ...headers },
  })

/** A route handler that meets the given database failure (swallowed, as a caller may) and answers. */
const handlerAnswering =
  (response: () => Response, failure?: unknown) => async (): Promise<Response> => {
    if (failure !== undefined) recordDatabaseFailure(failure)
    return response()
  }

const expectUnavailable = async (response: Response) => {
  expect(response.status).toBe(503)
  expect(response.headers.get('retry-after')).toMatch(/^\d+$/)
  expect(response.headers.get('cache-control')).toBe('no-store')
  expect(await response.json()).toEqual({
    errors: [{ message: databaseUnavailableMessage }],
    requestId: 'req-42',
  })
}

describe('withDatabaseUnavailableAnswer', () => {
  it('should answer 503 for a refusal that followed a failed database call', async () => {
    const handler = withDatabaseUnavailableAnswer(
      handlerAnswering(() => Response.json({ errors: [] }, { status: 401 }), refused()),
    )
    await expectUnavailable(await handler(request('POST', { authorization: 'JWT x' })))
  })

  it('should answer 503 for a signed-in read answered as if anonymous', async () => {
    const handler = withDatabaseUnavailableAnswer(
      handlerAnswering(() => Response.json({ user: null }), refused()),
    )
    await expectUnavailable(await handler(request('GET', { cookie: 'payload-token=x' })))
  })

  it('should answer 503 when the handler throws after a failed database call', async () => {
    const handler = withDatabaseUnavailableAnswer(async () => {
      recordDatabaseFailure(refused())
      throw new TypeError("Cannot set properties of undefined (setting 'payload')")
    })
    await expectUnavailable(await handler(request('GET')))
  })

  it('should keep successful writes and anonymous reads: they committed, or needed no database', async () => {
    const created = withDatabaseUnavailableAnswer(
      handlerAnswering(() => Response.json({ doc: { id: 1 } }, { status: 201 }), refused()),
    )
    expect((await created(request('POST', { authorization: 'JWT x' }))).status).toBe(201)
    const fromMemory = withDatabaseUnavailableAnswer(
      handlerAnswering(() => new Response(null, { status: 304 }), refused()),
    )
    expect((await fromMemory(request('GET'))).status).toBe(304)
  })

  it('should leave answers alone when the database answered, or failed for another reason', async () => {
    const refusal = withDatabaseUnavailableAnswer(
      handlerAnswering(() => Response.json({ errors: [] }, { status: 403 })),
    )
    expect((await refusal(request('GET', { cookie: 'a=b' }))).status).toBe(403)
    const schemaBug = Object.assign(new Error('column "name" does not exist'), { code: '42703' })
    const failed = withDatabaseUnavailableAnswer(
      handlerAnswering(() => Response.json({ errors: [] }, { status: 500 }), schemaBug),
    )
    expect((await failed(request('GET'))).status).toBe(500)
    const thrower = withDatabaseUnavailableAnswer(async () => {
      throw new TypeError('a bug')
    })
    await expect(thrower(request('GET'))).rejects.toThrow('a bug')
  })

  it('should keep the CORS headers of the answer it replaces, and nothing cacheable', async () => {
    const handler = withDatabaseUnavailableAnswer(
      handlerAnswering(
        () =>
          Response.json(
            {},
            {
              status: 500,
              headers: {
                'Access-Control-Allow-Origin': 'https://shop.example',
                ETag: '"abc"',
              },
            },
          ),
        refused(),
      ),
    )
    const response = await handler(request('GET'))
    expect(response.headers.get('access-control-allow-origin')).toBe('https://shop.example')
    expect(response.headers.get('etag')).toBeNull()
  })
})
