import { describe, expect, it } from 'vitest'

import { withHeaderAllowed } from './cors'

describe('CORS with the code header', () => {
  it('should leave no CORS as none', () => {
    expect(withHeaderAllowed(undefined, 'x-totp-code')).toBeUndefined()
  })

  it('should add the header to a list of origins or to a CORS object', () => {
    expect(withHeaderAllowed(['https://a.test'], 'x-totp-code')).toEqual({
      origins: ['https://a.test'],
      headers: ['x-totp-code'],
    })
    expect(withHeaderAllowed({ origins: '*', headers: ['x-request-id'] }, 'x-totp-code')).toEqual({
      origins: '*',
      headers: ['x-request-id', 'x-totp-code'],
    })
  })
})
