import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import {
  malformedPathMessage,
  malformedQueryMessage,
} from '../../src/server/requestValidation/percentEncoding'
import { startApiServer, type RunningApiServer } from '../helpers/apiServer'
import { requestRaw } from '../helpers/rawHttp'

/**
 * The app server reads an API URL as it came off the wire. Next.js, behind it, answers a broken
 * escape in the path with its HTML error page and re-encodes one in the query (where it then
 * turns into literal text), so the handler here stands in for Next: anything that reaches it was
 * let through.
 */
let server: RunningApiServer

beforeAll(async () => {
  server = await startApiServer({
    handle: (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/plain' })
      res.end('reached the route')
    },
  })
})

afterAll(async () => {
  await server?.close()
})

describe('malformed percent-escapes in API URLs', () => {
  it.each([
    ['/api/items/%ZZ', malformedPathMessage],
    ['/api/items/%', malformedPathMessage],
    ['/api/items/%C3%28', malformedPathMessage],
    ['/api/items?where[name][equals]=%E0%A4%A', malformedQueryMessage],
    ['/api/items?limit=%', malformedQueryMessage],
    ['/api/graphql?query=%GG', malformedQueryMessage],
    ['/api/items?sort=%FF', malformedQueryMessage],
  ])('should refuse %s with a JSON 400 before the route', async (url, message) => {
    const response = await requestRaw(`${server.url}${url}`)
    expect(response.status).toBe(400)
    expect(response.headers['content-type']).toMatch(/^application\/json/)
    expect(JSON.parse(response.body.toString('utf8')).errors[0].message).toBe(message)
  })

  it.each([
    '/api/items?where[name][equals]=caf%C3%A9',
    '/api/items?where[name][like]=50%25',
    '/api/items?where[name][equals]=a+b',
    '/',
    '/admin/%ZZ',
  ])('should let %s through', async (url) => {
    const response = await requestRaw(`${server.url}${url}`)
    expect(response.status).toBe(200)
    expect(response.body.toString('utf8')).toBe('reached the route')
  })
})
