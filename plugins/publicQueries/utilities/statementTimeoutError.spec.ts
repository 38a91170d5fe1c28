import { describe, expect, it } from 'vitest'

import { isStatementTimeoutError } from './statementTimeoutError'

/** What node-postgres throws when PostgreSQL stops a statement at its statement_timeout. */
const canceled = Object.assign(new Error('canceling statement due to statement timeout'), {
  code: '57014',
})

describe('isStatementTimeoutError', () => {
  it.each([
    ['the driver error', canceled],
    ['wrapped by drizzle', Object.assign(new Error('Failed query: select …'), { cause: canceled })],
    ['wrapped by GraphQL', { message: 'Failed query', originalError: { cause: canceled } }],
  ])('should recognise %s', (_label, error) => {
    expect(isStatementTimeoutError(error)).toBe(true)
  })

  it.each([
    ['another PostgreSQL error', Object.assign(new Error('invalid input'), { code: '22P02' })],
    [
      'a connection failure',
      Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    ],
    ['nothing', undefined],
  ])('should leave %s alone', (_label, error) => {
    expect(isStatementTimeoutError(error)).toBe(false)
  })
})
