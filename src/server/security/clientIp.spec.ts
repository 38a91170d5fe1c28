import { describe, expect, it } from 'vitest'

import { resolveClientIp } from './clientIp'

describe('resolveClientIp', () => {
  it('should ignore X-Forwarded-For when no proxy is trusted', () => {
    expect(
      resolveClientIp({
        forwardedFor: '198.51.100.9',
        socketAddress: '203.0.113.7',
        trustedHops: 0,
      }),
    ).toBe('203.0.113.7')
  })

  it('should take the address the one trusted proxy saw', () => {
    expect(
      resolveClientIp({
        forwardedFor: '198.51.100.9',
        socketAddress: '10.0.0.2',
        trustedHops: 1,
      }),
    ).toBe('198.51.100.9')
  })

  it('should not let a client forge its address by prepending entries', () => {
    expect(
      resolveClientIp({
        forwardedFor: '1.2.3.4, 198.51.100.9',
        socketAddress: '10.0.0.2',
        trustedHops: 1,
      }),
    ).toBe('198.51.100.9')
  })

  it('should walk back one entry per trusted hop', () => {
    expect(
      resolveClientIp({
        forwardedFor: ['1.2.3.4, 198.51.100.9', '10.0.0.1'],
        socketAddress: '10.0.0.2',
        trustedHops: 2,
      }),
    ).toBe('198.51.100.9')
  })

  it('should fall back to the peer when the chosen entry is not an address', () => {
    expect(
      resolveClientIp({ forwardedFor: 'not-an-ip', socketAddress: '10.0.0.2', trustedHops: 1 }),
    ).toBe('10.0.0.2')
  })

  it('should report IPv4 peers of a dual-stack socket in IPv4 form', () => {
    expect(
      resolveClientIp({
        forwardedFor: undefined,
        socketAddress: '::ffff:127.0.0.1',
        trustedHops: 0,
      }),
    ).toBe('127.0.0.1')
  })

  it('should use the leftmost entry when fewer proxies answered than are trusted', () => {
    expect(
      resolveClientIp({ forwardedFor: '198.51.100.9', socketAddress: '10.0.0.2', trustedHops: 3 }),
    ).toBe('198.51.100.9')
  })
})
