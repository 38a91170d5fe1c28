import { describe, expect, it } from 'vitest'

import { withGraphQLErrorStatus } from './graphqlStatus'

const answering = (response: Response) =>
  withGraphQLErrorStatus(async () => response)(new Request('http://localhost/api/graphql'))

describe('withGraphQLErrorStatus', () => {
  it.each([
    [406, /accept application\/json/],
    [415, /UTF-8 application\/json/],
    [405, /refused with HTTP 405/],
  ])('should give a bodiless %i a JSON error saying what to send', async (status, message) => {
    const response = await answering(new Response(null, { status }))
    expect(response.status).toBe(status)
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    const body = (await response.json()) as { errors: { message: string }[] }
    expect(body.errors[0].message).toMatch(message)
  })

  it('should keep an error that has a body', async () => {
    const response = await answering(
      Response.json({ errors: [{ message: 'Nope.' }] }, { status: 403 }),
    )
    expect(response.status).toBe(403)
    expect(await response.json()).toEqual({ errors: [{ message: 'Nope.' }] })
  })

  it('should answer 400 for validation errors sent with a 200', async () => {
    const response = await answering(
      Response.json({ errors: [{ message: 'Unknown fragment "A".' }] }),
    )
    expect(response.status).toBe(400)
  })
})
