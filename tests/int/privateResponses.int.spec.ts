import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { collectionSlugs } from '../../collections/slugs'
import { privateCacheControl } from '../../src/server/security/privateResponses'
import { startApiServer, type RunningApiServer } from '../helpers/apiServer'
import { uniqueName } from '../helpers/payload'
import { setupEditorSession } from '../helpers/session'

const session = setupEditorSession()
let server: RunningApiServer

beforeAll(async () => {
  server = await startApiServer()
  await session.payload.create({
    collection: collectionSlugs.categories,
    data: { name: uniqueName('Private draft'), _status: 'draft' },
    draft: true,
  })
})

afterAll(async () => {
  await server?.close()
})

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${server.url}${path}`, { headers })

describe('Cache-Control of API answers to signed-in requests', () => {
  it.each([
    ['/api/users/me'],
    ['/api/categories?draft=true'],
    ['/api/items?limit=1'],
    ['/api/categories/999999'],
  ])('should make %s private and unstored, by header token and by cookie', async (path) => {
    const credentials: Record<string, string>[] = [
      { Authorization: `JWT ${session.token}` },
      { Cookie: `theme=dark; payload-token=${session.token}` },
    ]
    for (const headers of credentials) {
      const response = await get(path, headers)
      await response.arrayBuffer()
      expect(response.headers.get('cache-control'), `${path} ${Object.keys(headers)[0]}`).toBe(
        privateCacheControl,
      )
    }
  })

  it('should keep the Cache-Control a route chooses itself, such as the public catalog', async () => {
    const response = await get('/api/catalog', { Authorization: `JWT ${session.token}` })
    await response.arrayBuffer()
    expect(response.headers.get('cache-control')).toMatch(/^public/)
  })

  it('should leave anonymous answers to the routes', async () => {
    const response = await get('/api/items?limit=1', { Cookie: 'theme=dark' })
    await response.arrayBuffer()
    expect(response.headers.get('cache-control')).not.toBe(privateCacheControl)
  })
})
