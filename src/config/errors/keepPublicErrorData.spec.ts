import { APIError, ValidationError, type AfterErrorHook } from 'payload'
import { describe, expect, it } from 'vitest'

import { keepPublicErrorData } from './keepPublicErrorData'

type HookArgs = Parameters<AfterErrorHook>[0]

/** What Payload answers when the error is not an `instanceof` its own APIError: no `data`. */
const messageOnly = (message: string) => ({ errors: [{ message }], requestId: 'req-1' })

const run = (error: unknown, result: unknown, graphqlResult?: unknown) =>
  keepPublicErrorData({ error, result, graphqlResult } as unknown as HookArgs)

class CodeNeededError extends APIError<{ twoFactorRequired: true }> {
  constructor() {
    super('code needed', 401, { twoFactorRequired: true }, true)
  }
}

describe('keepPublicErrorData', () => {
  it('should put name and data back on a REST error answer that lost them', () => {
    expect(run(new CodeNeededError(), messageOnly('code needed'))).toEqual({
      response: {
        errors: [
          { name: 'CodeNeededError', data: { twoFactorRequired: true }, message: 'code needed' },
        ],
        requestId: 'req-1',
      },
    })
    const invalid = new ValidationError({
      collection: 'categories',
      errors: [{ message: 'This field is required.', path: 'name' }],
    })
    expect(run(invalid, messageOnly(invalid.message))).toEqual({
      response: {
        errors: [
          {
            name: 'ValidationError',
            data: {
              collection: 'categories',
              errors: [{ message: 'This field is required.', path: 'name' }],
            },
            message: invalid.message,
          },
        ],
        requestId: 'req-1',
      },
    })
  })

  it('should leave answers that kept their data, and GraphQL answers, as they are', () => {
    const error = new CodeNeededError()
    const complete = {
      errors: [{ name: error.name, data: error.data, message: error.message }],
    }
    expect(run(error, complete)).toBeUndefined()
    expect(run(error, undefined, { message: 'code needed' })).toBeUndefined()
  })

  it('should never add data Payload did not show: private errors and errors without data', () => {
    const internal = new APIError('connection details', 500, { host: 'db.internal' })
    expect(internal.isPublic).toBe(false)
    expect(run(internal, messageOnly('Something went wrong.'))).toBeUndefined()
    expect(run(internal, messageOnly('connection details'))).toBeUndefined()
    expect(run(new APIError('Not found', 404), messageOnly('Not found'))).toBeUndefined()
    expect(run(new Error('other'), messageOnly('other'))).toBeUndefined()
    expect(run(new CodeNeededError(), messageOnly('a later hook rewrote this'))).toBeUndefined()
  })

  it('should put back the message of a public error that lost its name, as in the production build', () => {
    const refusal = new APIError("Missing 'where' query of documents to delete.", 400)
    refusal.name = ''
    expect(run(refusal, messageOnly('An unknown error occurred.'))).toEqual({
      response: {
        errors: [{ name: 'APIError', message: "Missing 'where' query of documents to delete." }],
        requestId: 'req-1',
      },
    })
  })

  it('should never show the message of a private error, named or not', () => {
    for (const internal of [
      new APIError('password authentication failed for user "app"', 500),
      Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { name: '' }),
    ]) {
      internal.name = ''
      expect(run(internal, messageOnly('An unknown error occurred.'))).toBeUndefined()
      expect(run(internal, messageOnly('Something went wrong.'))).toBeUndefined()
    }
  })
})
