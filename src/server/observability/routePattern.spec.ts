import { describe, expect, it } from 'vitest'

import { toRoutePattern } from './routePattern'

describe('toRoutePattern', () => {
  it.each([
    ['/', '/'],
    ['/api/health', '/api/health'],
    ['/api/graphql', '/api/graphql'],
    ['/api/items', '/api/items'],
    ['/api/items/', '/api/items'],
    ['/api/items/42', '/api/items/:id'],
    ['/api/items/42/versions', '/api/items/:id/versions'],
    ['/api/items/versions/7', '/api/items/versions/:id'],
    ['/api/users/login', '/api/users/login'],
    ['/api/users/me', '/api/users/me'],
    ['/api/media/file/photo-1a2b3c4d5e.jpg', '/api/media/file/:filename'],
    ['/api/globals/site-settings', '/api/globals/site-settings'],
    ['/api/globals/unknown', '/api/globals/*'],
    ['/api/unknown-thing/123', '/api/*'],
    ['/admin', '/admin'],
    ['/admin/login', '/admin/login'],
    ['/admin/collections/items', '/admin/collections/items'],
    ['/admin/collections/items/create', '/admin/collections/items/create'],
    ['/admin/collections/items/17', '/admin/collections/items/:id'],
    ['/admin/collections/items/17/versions', '/admin/collections/items/:id/*'],
    ['/admin/globals/site-settings', '/admin/globals/site-settings'],
    ['/admin/anything/else', '/admin/*'],
    ['/_next/static/chunks/abc.js', '/_next/static/*'],
    ['/wp-login.php', '/*'],
  ])('should map %s to %s', (path, pattern) => {
    expect(toRoutePattern(path)).toBe(pattern)
  })

  it('should keep the number of distinct patterns small whatever the ids are', () => {
    const patterns = new Set(
      Array.from({ length: 500 }, (_, index) =>
        toRoutePattern(`/api/items/${index}-${Math.random()}`),
      ),
    )
    expect([...patterns]).toEqual(['/api/items/:id'])
  })
})
