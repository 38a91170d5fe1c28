import { describe, expect, it, vi } from 'vitest'

import {
  checkAgainstStandIn,
  payloadHashParameters,
  standInStoredPassword,
} from './standInPassword'

describe('the stand-in password', () => {
  it('should stand in with a hash of the format, and so the cost, of every password Payload sets', () => {
    // Payload 3 writes `pbkdf2-sha256-v1:` and a 32-byte digest (600,000 iterations) for new
    // passwords; a hash without the prefix would be checked with the old, cheaper parameters.
    expect(standInStoredPassword.hash).toMatch(/^pbkdf2-sha256-v1:[0-9a-f]{64}$/)
    expect(standInStoredPassword.salt).toMatch(/^[0-9a-f]{64}$/)
  })

  it("should derive the password against the stand-in with Payload's current parameters", async () => {
    const deriveKey = vi.fn(async () => Buffer.alloc(32))
    await checkAgainstStandIn('a-guess', { deriveKey })
    expect(deriveKey).toHaveBeenCalledExactlyOnceWith(
      'a-guess',
      standInStoredPassword.salt,
      600_000,
      32,
      'sha256',
    )
    expect(payloadHashParameters).toEqual({ iterations: 600_000, keyLength: 32, digest: 'sha256' })
  })
})
