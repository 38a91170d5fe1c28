import * as GraphQL from 'graphql'
import type { Config } from 'payload'
import { describe, expect, it, vi } from 'vitest'

import { withEqualTimeForgotPasswordMutations } from './forgotPasswordMutations'

describe('forgot-password in equal time', () => {
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
    const fields = withEqualTimeForgotPasswordMutations({
      mutations: () => custom,
      minimumMs: 300,
    })(GraphQL, context) as Record<
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
