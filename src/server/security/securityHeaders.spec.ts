import type http from 'node:http'

import { describe, expect, it } from 'vitest'

import { applySecurityHeaders, getSecurityHeaderSettings } from './securityHeaders'

describe('applySecurityHeaders under npm run dev', () => {
  it('should report page policy violations instead of enforcing them, with hot reloading allowed', () => {
    const req = { headers: {} } as http.IncomingMessage
    const headers = new Map<string, string>()
    const res = {
      setHeader: (name: string, value: string) => headers.set(name.toLowerCase(), value),
    } as unknown as http.ServerResponse
    applySecurityHeaders(req, res, '/admin', {
      isProduction: false,
      isDevelopment: true,
      mediaOrigins: [],
    })
    const policy = headers.get('content-security-policy-report-only') as string
    expect(policy).toMatch(/script-src 'self' 'nonce-[^']+' 'strict-dynamic' 'unsafe-eval'/)
    expect(policy).toContain("connect-src 'self' ws: wss:")
    expect(headers.has('content-security-policy')).toBe(false)
    expect(headers.has('strict-transport-security')).toBe(false)
    expect(req.headers['content-security-policy-report-only']).toBe(policy)
  })
})

describe('getSecurityHeaderSettings', () => {
  it('should let pages show media from the public base and from SERVER_URL', () => {
    const settings = getSecurityHeaderSettings(
      {
        isProduction: true,
        SERVER_URL: 'https://cms.example.com',
        r2: {
          accessKeyId: 'id',
          secretAccessKey: 'secret',
          bucket: 'catalog',
          endpoint: 'https://account.r2.cloudflarestorage.com',
          publicBase: 'https://media.example.com/catalog',
        },
      },
      false,
    )
    expect(settings.mediaOrigins).toEqual(['https://media.example.com', 'https://cms.example.com'])
    expect(
      getSecurityHeaderSettings({ isProduction: false, SERVER_URL: undefined }, false).mediaOrigins,
    ).toEqual([])
  })
})
