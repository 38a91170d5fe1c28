import http from 'node:http'

import { describe, expect, it } from 'vitest'

import { applySecurityHeaders, type SecurityHeaderSettings } from '../security/securityHeaders'
import { recordApiSecurityHeaders } from './cachedReadHits'

const settings: SecurityHeaderSettings = {
  isProduction: true,
  isDevelopment: false,
  mediaOrigins: [],
}

describe('recordApiSecurityHeaders', () => {
  it('should record the headers applySecurityHeaders sets on an API answer, in order', () => {
    const req = new http.IncomingMessage(null as never)
    const res = new http.ServerResponse(req)
    applySecurityHeaders(req, res, '/api/items', settings)
    const recorded = recordApiSecurityHeaders(settings, '/api/')
    const names = recorded.filter((_, index) => index % 2 === 0)
    expect(names.map((name) => name.toLowerCase())).toEqual(res.getHeaderNames())
    for (let index = 0; index < recorded.length; index += 2)
      expect(res.getHeader(recorded[index])).toBe(recorded[index + 1])
  })
})
