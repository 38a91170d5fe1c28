import type { CollectionConfig, Config } from 'payload'

import { sanitizeSignInTimingOptions } from './defaults'
import { getForgotPasswordEndpoint } from './endpoints/forgotPassword'
import { withEqualTimeForgotPasswordMutations } from './graphql/forgotPasswordMutations'
import { getEqualLoginTimingHook } from './hooks/equalLoginTiming'
import type { SanitizedSignInTimingOptions, SignInTimingPluginOptions } from './types'

const withEqualTiming = (
  collection: CollectionConfig,
  options: SanitizedSignInTimingOptions,
): CollectionConfig => ({
  ...collection,
  hooks: {
    ...collection.hooks,
    beforeOperation: [
      ...(collection.hooks?.beforeOperation ?? []),
      getEqualLoginTimingHook({ checkPassword: options.checkPassword }),
    ],
  },
  // First, so that it answers instead of Payload's own endpoint of the same path.
  endpoints: [
    getForgotPasswordEndpoint({
      slug: collection.slug,
      minimumMs: options.forgotPasswordMinimumMs,
    }),
    ...(collection.endpoints || []),
  ],
})

/**
 * Sign-in answers that take as long whether or not the account exists, for every auth collection,
 * over REST and GraphQL: a login for an unknown email still checks a password (against a stand-in
 * hash), and forgot-password answers after a common floor. Without it the same 401, or the same
 * 200, told anyone timing it which emails have accounts.
 */
export const signInTimingPlugin =
  (options: SignInTimingPluginOptions = {}) =>
  (incoming: Config): Config => {
    const sanitized = sanitizeSignInTimingOptions(options)
    if (!sanitized.isEnabled) return incoming
    return {
      ...incoming,
      collections: incoming.collections?.map((collection) =>
        collection.auth ? withEqualTiming(collection, sanitized) : collection,
      ),
      graphQL: {
        ...incoming.graphQL,
        mutations: withEqualTimeForgotPasswordMutations({
          mutations: incoming.graphQL?.mutations,
          minimumMs: sanitized.forgotPasswordMinimumMs,
        }),
      },
    }
  }
