import { describe, expect, it } from 'vitest'

import {
  getAccountFromData,
  isFirstRegisterUrl,
  normaliseAccount,
  toAccountKey,
} from './signInRequest'

describe('sign-in request parts', () => {
  it('should name an account as Payload finds it, and nothing for a blank or non-string one', () => {
    expect(normaliseAccount('  Editor@Example.TEST ')).toBe('editor@example.test')
    expect(normaliseAccount('x'.repeat(400))).toHaveLength(320)
    expect(normaliseAccount('   ')).toBeUndefined()
    expect(normaliseAccount(5)).toBeUndefined()
  })

  it('should key an account by address too', () => {
    expect(toAccountKey('editor@example.test', '203.0.113.9')).toBe(
      '203.0.113.9|editor@example.test',
    )
  })

  it('should read the email, else the username, from a body', () => {
    expect(getAccountFromData({ email: 'a@b.test', username: 'a' })).toBe('a@b.test')
    expect(getAccountFromData({ username: 'a' })).toBe('a')
    expect(getAccountFromData(undefined)).toBeUndefined()
  })

  it("should recognise the collection's first-register route only", () => {
    expect(isFirstRegisterUrl('http://localhost:3000/api/users/first-register', 'users')).toBe(true)
    expect(isFirstRegisterUrl('/api/users/first-register?x=1', 'users')).toBe(true)
    expect(isFirstRegisterUrl('/api/admins/first-register', 'users')).toBe(false)
    expect(isFirstRegisterUrl('/api/users', 'users')).toBe(false)
    expect(isFirstRegisterUrl(undefined, 'users')).toBe(false)
  })
})
