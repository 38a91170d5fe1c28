import { defaults } from 'payload'
import { describe, expect, it } from 'vitest'

import { createRouteTable, isAtOrBelowRoute, pathOfUrl, payloadRoutes } from './routes'

const routeTable = createRouteTable({
  cachedEndpointPaths: ['/catalog', '/catalog/categories', '/catalog/categories/:slug'],
})

describe('payloadRoutes', () => {
  it("should be Payload's default routes, which payload.config.ts keeps", () => {
    expect(payloadRoutes).toEqual({
      admin: defaults.routes?.admin,
      api: defaults.routes?.api,
      graphQL: defaults.routes?.graphQL,
      graphQLPlayground: defaults.routes?.graphQLPlayground,
    })
  })
})

describe('pathOfUrl', () => {
  it.each([
    ['/api/items?where[name][equals]=a', '/api/items'],
    ['/api/items', '/api/items'],
    ['/api/items?', '/api/items'],
    ['/api/items?a=1?b=2', '/api/items'],
    ['/?x', '/'],
    [undefined, '/'],
  ])('should cut %s to %s', (url, pathname) => {
    expect(pathOfUrl(url)).toBe(pathname)
  })
})

describe('isAtOrBelowRoute', () => {
  it.each([
    ['/api', true],
    ['/api/', true],
    ['/api/items', true],
    ['/apiary', false],
    ['/', false],
    ['/admin/api', false],
  ])('should place %s at or below /api: %s', (pathname, isBelow) => {
    expect(isAtOrBelowRoute(pathname, '/api')).toBe(isBelow)
  })
})

describe('createRouteTable', () => {
  it.each([
    ['/api/health', { kind: 'operational', endpoint: 'health', pattern: '/api/health' }],
    ['/api/ready/', { kind: 'operational', endpoint: 'ready', pattern: '/api/ready' }],
    ['/api/metrics', { kind: 'operational', endpoint: 'metrics', pattern: '/api/metrics' }],
    ['/api/graphql', { kind: 'graphql', pattern: '/api/graphql' }],
    ['/api/graphql-playground', { kind: 'graphqlPlayground', pattern: '/api/graphql-playground' }],
    ['/api/catalog', { kind: 'cachedEndpoint', pattern: '/api/catalog' }],
    ['/api/catalog/categories', { kind: 'cachedEndpoint', pattern: '/api/catalog/categories' }],
    [
      '/api/catalog/categories/coffee/',
      { kind: 'cachedEndpoint', pattern: '/api/catalog/categories/:slug' },
    ],
    ['/api/catalog/categories/coffee/beans', { kind: 'unknownApi', pattern: '/api/*' }],
    ['/api/catalog/coffee', { kind: 'unknownApi', pattern: '/api/*' }],
    ['/api/items', { kind: 'collection', slug: 'items', pattern: '/api/items' }],
    ['/api/items/42', { kind: 'collection', slug: 'items', pattern: '/api/items/:id' }],
    [
      '/api/users/login',
      { kind: 'collection', slug: 'users', operation: 'login', pattern: '/api/users/login' },
    ],
    [
      '/api/globals/site-settings',
      { kind: 'global', slug: 'site-settings', pattern: '/api/globals/site-settings' },
    ],
    ['/api', { kind: 'unknownApi', pattern: '/api/*' }],
    ['/api/globals/unknown', { kind: 'unknownApi', pattern: '/api/globals/*' }],
    ['/admin/collections/items/17', { kind: 'admin', pattern: '/admin/collections/items/:id' }],
    ['/_next/static/chunks/abc.js', { kind: 'nextAsset', pattern: '/_next/static/*' }],
    ['/', { kind: 'page', pattern: '/' }],
    ['/robots.txt', { kind: 'page', pattern: '/robots.txt' }],
    ['/wp-login.php', { kind: 'page', pattern: '/*' }],
  ])('should classify %s', (path, route) => {
    expect(routeTable.classify(path)).toEqual(route)
  })

  it('should name a cached endpoint only when told it is one', () => {
    expect(createRouteTable().classify('/api/catalog')).toEqual({
      kind: 'unknownApi',
      pattern: '/api/*',
    })
  })

  it('should follow the API route it is given', () => {
    const moved = createRouteTable({
      routes: { ...payloadRoutes, api: '/v1/api' },
      cachedEndpointPaths: ['/catalog/categories/:slug'],
    })
    expect(moved.classify('/v1/api/items/3').pattern).toBe('/v1/api/items/:id')
    expect(moved.classify('/v1/api/catalog/categories/tea').pattern).toBe(
      '/v1/api/catalog/categories/:slug',
    )
    expect(moved.classify('/api/catalog/categories/tea').pattern).toBe('/*')
    expect(moved.classify('/api/items/3').pattern).toBe('/*')
    expect(moved.isApiPath('/v1/api/items')).toBe(true)
    expect(moved.toApiPath('/v1/api/catalog')).toBe('/catalog')
  })

  it('should take only paths below the API route as API paths', () => {
    expect(routeTable.isApiPath('/api/items')).toBe(true)
    expect(routeTable.isApiPath('/api')).toBe(false)
    expect(routeTable.isApiPath('/apiary')).toBe(false)
    expect(routeTable.isApiPath('/admin')).toBe(false)
  })

  it('should know where clients sign in, exactly as they post it', () => {
    for (const operation of ['login', 'forgot-password', 'reset-password', 'first-register'])
      expect(routeTable.isSignInPath(`/api/users/${operation}`)).toBe(true)
    expect(routeTable.isSignInPath('/api/users/login/')).toBe(false)
    expect(routeTable.isSignInPath('/api/users/me')).toBe(false)
    expect(routeTable.isSignInPath('/api/items/login')).toBe(false)
  })
})
