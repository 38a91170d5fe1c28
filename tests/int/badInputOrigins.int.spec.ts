import { vi } from 'vitest'

// Read when the Payload config loads: one partner site may call the API with the sign-in cookie.
vi.hoisted(() => {
  process.env.CORS_ORIGINS = 'https://shop.example.test'
})

import { describe, expect, it } from 'vitest'

import { collectionSlugs } from '../../collections/slugs'
import { handleApiRequest, rest } from '../helpers/http'
import { uniqueName } from '../helpers/payload'
import { setupEditorSession } from '../helpers/session'

const session = setupEditorSession()

/** The app under test answers on http://localhost:3000 (see tests/helpers/http.ts). */
const ownOrigin = 'http://localhost:3000'
const listedOrigin = 'https://shop.example.test'
const foreignOrigin = 'https://attacker.example'

const cookieHeaders = (origin?: string) => ({
  Cookie: `payload-token=${session.token}`,
  ...(origin ? { Origin: origin } : {}),
})

const createWithCookie = (name: string, origin?: string) =>
  rest('POST', '/api/categories', { headers: cookieHeaders(origin), body: { name } })

const countNamed = async (name: string) =>
  (
    await session.payload.count({
      collection: collectionSlugs.categories,
      where: { name: { equals: name } },
    })
  ).totalDocs

describe('signed-in (cookie) requests and their origin', () => {
  it('should accept a write from the app itself and from a CORS_ORIGINS origin', async () => {
    const own = await createWithCookie(uniqueName('Own origin'), ownOrigin)
    expect(own.status).toBe(201)

    const name = uniqueName('Listed origin')
    const listed = await createWithCookie(name, listedOrigin)
    expect(listed.status).toBe(201)
    expect(listed.headers.get('access-control-allow-origin')).toBe(listedOrigin)
    expect(listed.headers.get('access-control-allow-credentials')).toBe('true')
    expect(await countNamed(name)).toBe(1)
  })

  it('should refuse a write from another origin with 403 and store nothing', async () => {
    const name = uniqueName('Foreign origin')
    const response = await createWithCookie(name, foreignOrigin)
    expect(response.status).toBe(403)
    expect(
      ((await response.json()) as { errors: { message: string }[] }).errors[0].message,
    ).toMatch(/CORS_ORIGINS/)
    expect(response.headers.get('access-control-allow-origin')).toBeNull()
    expect(await countNamed(name)).toBe(0)
  })

  it('should refuse a GraphQL mutation from another origin', async () => {
    const name = uniqueName('Foreign GraphQL')
    const response = await handleApiRequest(
      new Request('http://localhost:3000/api/graphql', {
        method: 'POST',
        headers: { ...cookieHeaders(foreignOrigin), 'Content-Type': 'application/json' },
        body: JSON.stringify({
          query: `mutation { createCategory(data: { name: "${name}" }) { id } }`,
        }),
      }),
    )
    expect(response.status).toBe(403)
    expect(await countNamed(name)).toBe(0)
  })

  it('should run a signed-in GraphQL query over GET from a listed origin, not from a link elsewhere', async () => {
    const queryOverGet = (headers: Record<string, string>) =>
      handleApiRequest(
        new Request(
          'http://localhost:3000/api/graphql?query=%7B%20meUser%20%7B%20user%20%7B%20email%20%7D%20%7D%20%7D',
          {
            headers: { Cookie: `payload-token=${session.token}`, ...headers },
          },
        ),
      )
    const listed = await queryOverGet({ Origin: listedOrigin, 'Sec-Fetch-Site': 'cross-site' })
    expect(listed.status).toBe(200)
    expect(listed.headers.get('access-control-allow-origin')).toBe(listedOrigin)
    expect(await listed.json()).toEqual({ data: { meUser: { user: { email: session.email } } } })

    const linked = await queryOverGet({
      'Sec-Fetch-Site': 'cross-site',
      'Sec-Fetch-Mode': 'navigate',
    })
    expect(linked.status).toBe(403)
  })

  it('should accept a bearer token from anywhere: another site cannot attach it', async () => {
    const response = await rest('POST', '/api/categories', {
      token: session.token,
      headers: { Origin: foreignOrigin },
      body: { name: uniqueName('Token from elsewhere') },
    })
    expect(response.status).toBe(201)
  })

  it('should accept a cookie without an Origin (not a browser request from another site)', async () => {
    expect((await createWithCookie(uniqueName('No origin'))).status).toBe(201)
  })

  it('should answer preflights with CORS headers for listed origins only', async () => {
    const preflight = (origin: string) =>
      handleApiRequest(
        new Request('http://localhost:3000/api/categories', {
          method: 'OPTIONS',
          headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' },
        }),
      )
    const listed = await preflight(listedOrigin)
    expect(listed.headers.get('access-control-allow-origin')).toBe(listedOrigin)
    // The two-factor code header, which GraphQL's login needs, may be sent from there too.
    const allowedHeaders = listed.headers.get('access-control-allow-headers')?.toLowerCase()
    expect(allowedHeaders?.split(/,\s*/)).toEqual(
      expect.arrayContaining(['content-type', 'authorization', 'x-totp-code']),
    )
    expect((await preflight(foreignOrigin)).headers.get('access-control-allow-origin')).toBeNull()
  })
})
