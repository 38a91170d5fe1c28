import { describe, expect, it } from 'vitest'

import { parseRetryAfter, retryDelayMs } from './retry'

describe('Retry-After', () => {
  it('should read seconds and HTTP dates, and nothing else', () => {
    const now = Date.parse('2026-01-01T00:00:00Z')
    expect(parseRetryAfter('3', now)).toBe(3000)
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:07 GMT', now)).toBe(7000)
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0)
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter(null, now)).toBeUndefined()
  })
})

describe('the delay before a retry', () => {
  const policy = { baseDelayMs: 500, maxDelayMs: 30_000 }

  it('should back off exponentially unless the server says how long', () => {
    expect([1, 2, 3].map((attempt) => retryDelayMs({ attempt, ...policy }))).toEqual([
      500, 1000, 2000,
    ])
    expect(retryDelayMs({ attempt: 1, retryAfterMs: 4000, ...policy })).toBe(4000)
  })

  it('should never wait longer than the maximum', () => {
    expect(retryDelayMs({ attempt: 20, ...policy })).toBe(30_000)
    expect(retryDelayMs({ attempt: 1, retryAfterMs: 3_600_000, ...policy })).toBe(30_000)
  })
})
