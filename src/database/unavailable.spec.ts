import { APIError } from 'payload'
import { describe, expect, it } from 'vitest'

import { findDatabaseUnavailableCause, isDatabaseUnavailableError } from './unavailable'

const withCode = (code: string, message = 'driver message') =>
  Object.assign(new Error(message), { code })

describe('isDatabaseUnavailableError', () => {
  it.each(['57P01', '57P02', '57P03', '53300', '08006', '08001', '08P01'])(
    'should recognise SQLSTATE %s, also wrapped by the query builder and by GraphQL',
    (code) => {
      expect(isDatabaseUnavailableError(withCode(code))).toBe(true)
      const queryError = new Error('Failed query: select 1', { cause: withCode(code) })
      expect(isDatabaseUnavailableError(queryError)).toBe(true)
      expect(isDatabaseUnavailableError({ originalError: queryError })).toBe(true)
    },
  )

  it.each(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE'])(
    'should recognise the socket error %s',
    (code) => {
      expect(isDatabaseUnavailableError(withCode(code))).toBe(true)
    },
  )

  it('should recognise an AggregateError of refused connection attempts', () => {
    const attempts = [withCode('ECONNREFUSED'), withCode('ECONNREFUSED')]
    expect(isDatabaseUnavailableError(new AggregateError(attempts))).toBe(true)
  })

  it.each([
    'Connection terminated unexpectedly',
    'Connection terminated due to connection timeout',
    'timeout exceeded when trying to connect',
    'Client has encountered a connection error and is not queryable',
    // Payload keeps only the message of the error that stopped a transaction from starting.
    'Error: cannot begin transaction: connect ECONNREFUSED 127.0.0.1:5432',
    'Error: cannot begin transaction: terminating connection due to administrator command',
    'Error: cannot begin transaction: the database system is starting up',
    'Error: cannot begin transaction: sorry, too many clients already',
    'database "catalog" is not currently accepting connections',
  ])('should recognise the uncoded message %j', (message) => {
    expect(isDatabaseUnavailableError(new Error(message))).toBe(true)
  })

  it('should name the cause it found, for the log', () => {
    const refused = withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')
    expect(findDatabaseUnavailableCause(new Error('Failed query', { cause: refused }))).toBe(
      refused,
    )
  })

  it.each([
    ['a unique violation', withCode('23505')],
    ['an unknown column (a schema bug)', withCode('42703', 'column "name" does not exist')],
    ['a value of the wrong type', withCode('22P02')],
    ['a statement timeout', withCode('57014')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'id')")],
  ])('should leave %s alone', (_, error) => {
    expect(isDatabaseUnavailableError(error)).toBe(false)
  })

  it('should leave answers already chosen alone: refusals and the media storage 503', () => {
    expect(isDatabaseUnavailableError(new APIError('Not allowed', 403))).toBe(false)
    const storage = new APIError('The media storage is unavailable', 503, undefined, true)
    expect(
      isDatabaseUnavailableError(Object.assign(storage, { cause: withCode('ECONNREFUSED') })),
    ).toBe(false)
  })

  it("should never take the bucket's socket errors for the database's", () => {
    const s3Error = Object.assign(withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:9000'), {
      $metadata: { attempts: 3 },
    })
    expect(isDatabaseUnavailableError(s3Error)).toBe(false)
    expect(isDatabaseUnavailableError(new Error('upload failed', { cause: s3Error }))).toBe(false)
  })

  it('should survive values that are not errors and cycles', () => {
    expect(isDatabaseUnavailableError(undefined)).toBe(false)
    expect(isDatabaseUnavailableError('ECONNREFUSED')).toBe(false)
    const cyclic: { cause?: unknown; message: string } = { message: 'loop' }
    cyclic.cause = cyclic
    expect(isDatabaseUnavailableError(cyclic)).toBe(false)
  })
})
