import { describe, expect, it } from 'vitest'

import { checkCookieGetSite, checkCookieOrigin } from './origin'

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

describe('checkCookieGetSite', () => {
  const get = (headers: Record<string, string>) => request(headers, 'GET')

  it.each(['same-origin', 'none'])(
    'should accept a signed-in GET the browser marks Sec-Fetch-Site: %s',
    (site) => {
      expect(
        checkCookieGetSite(get({ ...signedIn, 'Sec-Fetch-Site': site }), policy),
      ).toBeUndefined()
    },
  )

  it.each([
    ['a link on another site', { 'Sec-Fetch-Site': 'cross-site', 'Sec-Fetch-Mode': 'navigate' }],
    [
      'an image on a sibling subdomain',
      { 'Sec-Fetch-Site': 'same-site', 'Sec-Fetch-Mode': 'no-cors' },
    ],
    ['a client that says nothing of where it comes from', {}],
  ])('should refuse a signed-in GET from %s with a 403', (_, headers) => {
    expect(checkCookieGetSite(get({ ...signedIn, ...headers }), policy)?.status).toBe(403)
  })

  it('should leave a GET with an Origin to checkCookieOrigin', () => {
    const listed = get({
      ...signedIn,
      Origin: 'https://shop.example.com',
      'Sec-Fetch-Site': 'cross-site',
    })
    expect(checkCookieGetSite(listed, policy)).toBeUndefined()
    expect(checkCookieOrigin(listed, policy)).toBeUndefined()
  })

  it('should leave GETs without the cookie alone, from anywhere', () => {
    expect(checkCookieGetSite(get({ 'Sec-Fetch-Site': 'cross-site' }), policy)).toBeUndefined()
    expect(
      checkCookieGetSite(get({ Authorization: 'JWT x', 'Sec-Fetch-Site': 'cross-site' }), policy),
    ).toBeUndefined()
  })
})
