import { setTimeout as sleep } from 'node:timers/promises'

import type { GraphQLFieldConfig, GraphQLFieldResolver } from 'graphql'
import {
  addDataAndFileToRequest,
  addLocalesToRequestFromData,
  forgotPasswordOperation,
  headersWithCors,
  type CollectionSlug,
  type Config,
  type Endpoint,
} from 'payload'

/**
 * The shortest time a forgot-password request is answered in. For an account that exists, Payload
 * stores a reset token (with every hook of a user update) and sends the email before it answers;
 * for an unknown email, or one asked about in the last 15 seconds, it answers at once. Both say 200:
 * without a common floor the delay alone told which emails have accounts. Well above the ~20 ms
 * the token and the email take here; an email transport slower than this would need it raised.
 */
export const forgotPasswordMinimumMs = 300

type Clock = {
  now: () => number
  sleep: (ms: number) => Promise<unknown>
}

const realClock: Clock = { now: () => performance.now(), sleep }

/**
 * Runs a forgot-password request and answers no sooner than the floor after it started. Only a
 * completed request waits: refusals (a malformed body, the rate limits) do not depend on whether
 * the account exists, and should cost the server nothing more.
 */
export const inEqualTime = async <T>(
  work: () => Promise<T>,
  { minimumMs = forgotPasswordMinimumMs, clock = realClock } = {},
): Promise<T> => {
  const startedAt = clock.now()
  const result = await work()
  const remaining = startedAt + minimumMs - clock.now()
  if (remaining > 0) await clock.sleep(remaining)
  return result
}

/**
 * `POST /api/<slug>/forgot-password` as Payload answers it, in equal time. Listed before Payload's
 * own endpoints, so it is the one that runs.
 */
export const getForgotPasswordEndpoint = (slug: string): Endpoint => ({
  path: '/forgot-password',
  method: 'post',
  handler: async (req) => {
    await addDataAndFileToRequest(req)
    addLocalesToRequestFromData(req)
    const collection = req.payload.collections[slug as CollectionSlug]
    const fields = (req.data ?? {}) as { email?: unknown; username?: unknown }
    const data = {
      email: typeof fields.email === 'string' ? fields.email : '',
      ...(collection.config.auth?.loginWithUsername
        ? { username: typeof fields.username === 'string' ? fields.username : '' }
        : {}),
    }
    // The generated type lists `password`, but forgot-password only reads the email or username.
    const credentials = data as typeof data & { password: string }
    await inEqualTime(() => forgotPasswordOperation({ collection, data: credentials, req }))
    return Response.json(
      { message: req.t('general:success') },
      { headers: headersWithCors({ headers: new Headers(), req }) },
    )
  },
})

type Mutations = NonNullable<NonNullable<Config['graphQL']>['mutations']>
type MutationField = GraphQLFieldConfig<unknown, unknown>

/** GraphQL's `forgotPassword<Singular>` mutations, their resolvers run in equal time. */
export const withEqualTimeForgotPasswordMutations =
  (mutations: Mutations | undefined): Mutations =>
  (graphQL, context) => {
    const custom = mutations?.(graphQL, context) ?? {}
    const fields = context.Mutation.fields as Record<string, MutationField>
    const wrapped = Object.entries(fields)
      .filter(([name, field]) => name.startsWith('forgotPassword') && field.resolve)
      .map(([name, field]): [string, MutationField] => {
        const resolve = field.resolve as GraphQLFieldResolver<unknown, unknown>
        return [name, { ...field, resolve: (...args) => inEqualTime(async () => resolve(...args)) }]
      })
    return { ...Object.fromEntries(wrapped), ...custom }
  }
