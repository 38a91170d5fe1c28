import { describe, expect, it } from 'vitest'

import { checkCookieOrigin } from './origin'

const policy = { allowedOrigins: ['https://shop.example.com'], cookieName: 'payload-token' }

const request = (headers: Record<string, string>, method = 'POST') =>
  new Request('http://cms.example.com/api/items', { method, headers })

const signedIn = { Cookie: 'payload-token=abc', Host: 'cms.example.com' }

describe('checkCookieOrigin', () => {
  it('should accept signed-in requests from the app itself, over any scheme the proxy ends', () => {
    expect(
      checkCookieOrigin(request({ ...signedIn, Origin: 'https://cms.example.com' }), policy),
    ).toBeUndefined()
  })

  it('should accept a listed origin', () => {
    expect(
      checkCookieOrigin(request({ ...signedIn, Origin: 'https://shop.example.com' }), policy),
    ).toBeUndefined()
  })

  it('should use the host a proxy reports', () => {
    const proxied = request({
      ...signedIn,
      Host: '10.0.0.5:3000',
      'X-Forwarded-Host': 'cms.example.com',
      Origin: 'https://cms.example.com',
    })
    expect(checkCookieOrigin(proxied, policy)).toBeUndefined()
  })

  it.each([
    'https://attacker.example',
    'null',
    'http://cms.example.com:4000',
    'https://shop.example.com.evil',
  ])('should refuse a signed-in request from %s with a 403', (origin) => {
    expect(checkCookieOrigin(request({ ...signedIn, Origin: origin }), policy)?.status).toBe(403)
  })

  it('should leave requests without the cookie or without an Origin alone', () => {
    expect(
      checkCookieOrigin(request({ Origin: 'https://attacker.example' }), policy),
    ).toBeUndefined()
    expect(
      checkCookieOrigin(
        request({
          Origin: 'https://attacker.example',
          Authorization: 'JWT x',
          Host: 'cms.example.com',
        }),
        policy,
      ),
    ).toBeUndefined()
    expect(checkCookieOrigin(request(signedIn), policy)).toBeUndefined()
  })
})
