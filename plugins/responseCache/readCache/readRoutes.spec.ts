import { describe, expect, it } from 'vitest'

import { matchReadRoute, toPathPattern, type ReadRouteSettings } from './readRoutes'

const settings: ReadRouteSettings = {
  apiRoute: '/api',
  graphQLRoute: '/graphql',
  collections: new Set(['items', 'media']),
  globals: new Set(['site-settings']),
  collectionEndpoints: new Map([['items', [toPathPattern('/export')]]]),
  paths: [toPathPattern('/catalog/:slug')],
}

const kindOf = (method: string, path: string) => matchReadRoute(settings, method, path)?.route.kind

describe('cacheable read routes', () => {
  it('should match lists, counts, documents, globals, extra paths and GraphQL', () => {
    expect(kindOf('GET', '/api/items')).toBe('rest')
    expect(kindOf('GET', '/api/items/')).toBe('rest')
    expect(kindOf('HEAD', '/api/items/count')).toBe('rest')
    expect(kindOf('GET', '/api/items/12')).toBe('rest')
    expect(kindOf('GET', '/api/globals/site-settings')).toBe('rest')
    expect(kindOf('GET', '/api/catalog/garden')).toBe('rest')
    expect(kindOf('GET', '/api/graphql')).toBe('graphql')
    expect(kindOf('POST', '/api/graphql')).toBe('graphql')
  })

  it('should leave everything else alone', () => {
    for (const [method, path] of [
      ['POST', '/api/items'],
      ['PATCH', '/api/items/12'],
      ['GET', '/api/users'],
      ['GET', '/api/items/versions'],
      ['GET', '/api/items/versions/3'],
      ['GET', '/api/items/export'],
      ['GET', '/api/media/file/a.png'],
      ['GET', '/api/globals/other'],
      ['GET', '/api/catalog'],
      ['GET', '/admin'],
      ['GET', '/api/items/%E0%A4%A'],
      ['PUT', '/api/graphql'],
    ])
      expect(kindOf(method, path), `${method} ${path}`).toBeUndefined()
  })
})
