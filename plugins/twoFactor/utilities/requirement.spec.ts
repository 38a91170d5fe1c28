import { describe, expect, it } from 'vitest'

import type { TwoFactorUser } from '../types'

import { isAwaitingTwoFactorEnrolment, isTwoFactorRequiredFor } from './requirement'

const userOf = (fields: Record<string, unknown>) =>
  ({ id: 1, collection: 'users', ...fields }) as unknown as TwoFactorUser

const isAdmin = (user: TwoFactorUser) => (user as { role?: string }).role === 'admin'

describe('two-factor requirement', () => {
  it('should require two-factor of admins of the collection only, and only when asked', () => {
    const base = { collection: 'users' as const, isAdmin, isRequiredForAdmins: true }
    expect(isTwoFactorRequiredFor({ ...base, user: userOf({ role: 'admin' }) })).toBe(true)
    expect(isTwoFactorRequiredFor({ ...base, user: userOf({ role: 'editor' }) })).toBe(false)
    expect(
      isTwoFactorRequiredFor({ ...base, user: userOf({ role: 'admin', collection: 'other' }) }),
    ).toBe(false)
    expect(isTwoFactorRequiredFor({ ...base, user: null })).toBe(false)
    expect(
      isTwoFactorRequiredFor({
        ...base,
        isRequiredForAdmins: false,
        user: userOf({ role: 'admin' }),
      }),
    ).toBe(false)
  })

  it('should stop awaiting enrolment once two-factor is on', () => {
    const base = { collection: 'users' as const, isAdmin, isRequiredForAdmins: true }
    expect(isAwaitingTwoFactorEnrolment({ ...base, user: userOf({ role: 'admin' }) })).toBe(true)
    expect(
      isAwaitingTwoFactorEnrolment({
        ...base,
        user: userOf({ role: 'admin', twoFactorEnabled: true }),
      }),
    ).toBe(false)
  })
})
