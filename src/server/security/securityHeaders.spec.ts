import type http from 'node:http'

import { describe, expect, it } from 'vitest'

import { applySecurityHeaders } from './securityHeaders'

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
