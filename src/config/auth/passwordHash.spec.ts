import { describe, expect, it } from 'vitest'

import { hashPasswordPortably, isPasswordMatchingHash, toStoredPassword } from './passwordHash'

describe('portable password hashes', () => {
  it('should verify the original password and nothing else', async () => {
    const stored = toStoredPassword(await hashPasswordPortably('a-long-admin-password'))
    expect(await isPasswordMatchingHash({ password: 'a-long-admin-password', ...stored })).toBe(
      true,
    )
    expect(await isPasswordMatchingHash({ password: 'a-long-admin-passwore', ...stored })).toBe(
      false,
    )
  })

  it('should salt every hash differently', async () => {
    const [first, second] = await Promise.all([
      hashPasswordPortably('same-password-twice'),
      hashPasswordPortably('same-password-twice'),
    ])
    expect(first).not.toBe(second)
    expect(first).toMatch(/^pbkdf2-sha256-v1\$[0-9a-f]{64}\$[0-9a-f]{64}$/)
  })

  it('should refuse a string in another format without echoing it', () => {
    expect(() => toStoredPassword('secret-looking-value')).toThrow(
      /^Not a password hash from `npm run hash-password`\.$/,
    )
  })
})
