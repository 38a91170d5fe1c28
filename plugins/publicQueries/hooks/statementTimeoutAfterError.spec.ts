import type { AfterErrorHook } from 'payload'
import { describe, expect, it } from 'vitest'

import { sanitizePublicQueriesOptions } from '../defaults'
import { getStatementTimeoutAfterErrorHook } from './statementTimeoutAfterError'

/** What node-postgres throws when PostgreSQL stops a statement at its statement_timeout. */
const canceled = Object.assign(new Error('canceling statement due to statement timeout'), {
  code: '57014',
})

type HookArgs = Parameters<AfterErrorHook>[0]

describe('getStatementTimeoutAfterErrorHook', () => {
  const hook = getStatementTimeoutAfterErrorHook({
    options: sanitizePublicQueriesOptions({ statementTimeoutMs: 1500 }),
  })

  it('should answer a REST request 503 with a message naming the timeout', () => {
    expect(hook({ error: canceled } as unknown as HookArgs)).toEqual({
      status: 503,
      response: { errors: [{ message: expect.stringContaining('1500 ms') }] },
    })
  })

  it('should give a GraphQL error the status 503', () => {
    const graphqlResult = { message: 'Failed query', extensions: { name: 'Error' } }
    const answer = hook({ error: canceled, graphqlResult } as unknown as HookArgs)
    expect(answer).toMatchObject({
      graphqlResult: {
        message: expect.stringContaining('1500 ms'),
        extensions: { statusCode: 503 },
      },
    })
  })

  it('should leave other errors to the hooks after it', () => {
    expect(hook({ error: new Error('boom') } as unknown as HookArgs)).toBeUndefined()
  })
})
