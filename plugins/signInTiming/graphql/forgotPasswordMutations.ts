import type { GraphQLFieldConfig, GraphQLFieldResolver } from 'graphql'
import type { Config } from 'payload'

import { inEqualTime } from '../utilities/inEqualTime'

type Mutations = NonNullable<NonNullable<Config['graphQL']>['mutations']>
type MutationField = GraphQLFieldConfig<unknown, unknown>

/**
 * GraphQL's `forgotPassword<Singular>` mutations, their resolvers run in equal time; the app's own
 * mutations are kept, and win on a name clash as they did before.
 */
export const withEqualTimeForgotPasswordMutations =
  ({ mutations, minimumMs }: { mutations: Mutations | undefined; minimumMs: number }): Mutations =>
  (graphQL, context) => {
    const custom = mutations?.(graphQL, context) ?? {}
    const fields = context.Mutation.fields as Record<string, MutationField>
    const wrapped = Object.entries(fields)
      .filter(([name, field]) => name.startsWith('forgotPassword') && field.resolve)
      .map(([name, field]): [string, MutationField] => {
        const resolve = field.resolve as GraphQLFieldResolver<unknown, unknown>
        return [
          name,
          {
            ...field,
            resolve: (...args) => inEqualTime(async () => resolve(...args), { minimumMs }),
          },
        ]
      })
    return { ...Object.fromEntries(wrapped), ...custom }
  }
