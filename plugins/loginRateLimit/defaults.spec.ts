import type { PayloadRequest } from 'payload'
import { describe, expect, it } from 'vitest'

import { loginRateLimitDefaults, sanitizeLoginRateLimitOptions } from './defaults'

describe('the login rate limit defaults', () => {
  it('should trust no proxy header: a forwarded address is not the client', () => {
    const { getClientIp } = sanitizeLoginRateLimitOptions({ connectionString: 'postgres://db/x' })
    const req = {
      headers: new Headers({ 'x-forwarded-for': '203.0.113.9', 'x-real-ip': '203.0.113.9' }),
    } as unknown as PayloadRequest
    expect(getClientIp(req)).toBeUndefined()
  })

  it('should hold a window of 15 minutes, 5 password checks per account and 20 requests per address', () => {
    expect(sanitizeLoginRateLimitOptions({ connectionString: 'postgres://db/x' })).toMatchObject({
      ...loginRateLimitDefaults,
      windowSeconds: 900,
      accountFailures: 5,
      ipAttempts: 20,
      isTableCreated: false,
    })
  })

  it('should keep what the app sets, and the defaults for what it leaves undefined', () => {
    const sanitized = sanitizeLoginRateLimitOptions({
      connectionString: 'postgres://db/x',
      ipAttempts: 50,
      windowSeconds: undefined,
    })
    expect(sanitized.ipAttempts).toBe(50)
    expect(sanitized.windowSeconds).toBe(900)
  })
})
