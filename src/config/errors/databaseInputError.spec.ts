import { describe, expect, it } from 'vitest'

import { isDatabaseInputError } from './databaseInputError'

const pgError = (code: string) => Object.assign(new Error('driver message'), { code })

describe('isDatabaseInputError', () => {
  it.each(['22P02', '22003', '22021', '2201X', '23503', '23502'])(
    'should recognise SQLSTATE %s, also wrapped',
    (code) => {
      expect(isDatabaseInputError(pgError(code))).toBe(true)
      expect(isDatabaseInputError(new Error('query failed', { cause: pgError(code) }))).toBe(true)
      expect(
        isDatabaseInputError({ originalError: new Error('x', { cause: pgError(code) }) }),
      ).toBe(true)
    },
  )

  it.each(['23505', '42703', '08006', '57P01', 'ECONNREFUSED'])('should leave %s alone', (code) => {
    expect(isDatabaseInputError(pgError(code))).toBe(false)
  })
})
