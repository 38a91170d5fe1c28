import * as GraphQL from 'graphql'
import type { Config } from 'payload'
import { describe, expect, it, vi } from 'vitest'

import {
  forgotPasswordMinimumMs,
  inEqualTime,
  withEqualTimeForgotPasswordMutations,
} from './forgotPasswordTiming'

/** A clock that moves only when work or a sleep moves it. */
const fakeClock = () => {
  let now = 1000
  const sleep = vi.fn(async (ms: number) => {
    now += ms
  })
  return { clock: { now: () => now, sleep }, advance: (ms: number) => (now += ms), sleep }
}

describe('forgot-password in equal time', () => {
  it('should wait out the rest of the floor after quick work', async () => {
    const { clock, advance, sleep } = fakeClock()
    const result = await inEqualTime(
      async () => {
        advance(20)
        return 'token'
      },
      { clock },
    )
    expect(result).toBe('token')
    expect(sleep).toHaveBeenCalledExactlyOnceWith(forgotPasswordMinimumMs - 20)
  })

  it('should not wait after work that took the floor or longer', async () => {
    const { clock, advance, sleep } = fakeClock()
    await inEqualTime(async () => advance(forgotPasswordMinimumMs + 1), { clock })
    expect(sleep).not.toHaveBeenCalled()
  })

  it('should answer a refusal at once', async () => {
    const { clock, sleep } = fakeClock()
    const refusal = new Error('Too many sign-in attempts.')
    await expect(
      inEqualTime(
        async () => {
          throw refusal
        },
        { clock },
      ),
    ).rejects.toBe(refusal)
    expect(sleep).not.toHaveBeenCalled()
  })

  it("should wrap the forgot-password mutations' resolvers only, keeping custom mutations", async () => {
    const resolveForgot = vi.fn(async () => true)
    const resolveLogin = vi.fn()
    const context = {
      Mutation: {
        name: 'Mutation',
        fields: {
          forgotPasswordUser: { type: GraphQL.GraphQLBoolean, resolve: resolveForgot },
          loginUser: { type: GraphQL.GraphQLString, resolve: resolveLogin },
        },
      },
    } as unknown as Parameters<NonNullable<NonNullable<Config['graphQL']>['mutations']>>[1]
    const custom = { ping: { type: GraphQL.GraphQLString } }
    const fields = withEqualTimeForgotPasswordMutations(() => custom)(GraphQL, context) as Record<
      string,
      { type: unknown; resolve?: (...args: unknown[]) => Promise<unknown> }
    >
    expect(Object.keys(fields).sort()).toEqual(['forgotPasswordUser', 'ping'])
    expect(fields.forgotPasswordUser.type).toBe(GraphQL.GraphQLBoolean)
    const answer = fields.forgotPasswordUser.resolve?.(null, { email: 'a@b.test' }, {}, {})
    // The floor is a real wait here; the resolver itself runs at once.
    expect(resolveForgot).toHaveBeenCalledWith(null, { email: 'a@b.test' }, {}, {})
    await expect(answer).resolves.toBe(true)
  })
})
