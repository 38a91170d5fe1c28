import type { CollectionConfig, CollectionSlug, Config } from 'payload'

import { sanitizeLoginRateLimitOptions } from './defaults'
import { getForgetCountAfterLoginHook } from './hooks/forgetCountAfterLogin'
import { getLimitSignInOperationsHook } from './hooks/limitSignInOperations'
import { createLoginRateLimiter } from './limiter'
import type { LoginRateLimiter, LoginRateLimitPluginOptions } from './types'

const withSignInLimits = (
  collection: CollectionConfig,
  limiter: LoginRateLimiter,
): CollectionConfig => ({
  ...collection,
  hooks: {
    ...collection.hooks,
    // First, not after the existing hooks: a request is counted before any other hook works for
    // it, so no hook's cost or side effect is free of the limit.
    beforeOperation: [
      getLimitSignInOperationsHook({ collection, limiter }),
      ...(collection.hooks?.beforeOperation ?? []),
    ],
    afterLogin: [
      ...(collection.hooks?.afterLogin ?? []),
      getForgetCountAfterLoginHook({ limiter }),
    ],
  },
})

/**
 * Login rate limits for auth collections, over REST and GraphQL alike: per client address for every
 * sign-in-type request, per account and address for password checks. Counters live in PostgreSQL
 * so every replica enforces the same limits. Nothing is counted per account alone, so no one can
 * lock an account's owner out from another address (turn Payload's own `maxLoginAttempts` lockout
 * off for the same reason).
 */
export const loginRateLimitPlugin =
  (options: LoginRateLimitPluginOptions) =>
  (incoming: Config): Config => {
    const sanitized = sanitizeLoginRateLimitOptions(options)
    if (!sanitized.isEnabled) return incoming
    const limiter = sanitized.limiter ?? createLoginRateLimiter(sanitized)
    const isLimited = (collection: CollectionConfig) =>
      Boolean(collection.auth) &&
      (!sanitized.collections || sanitized.collections.includes(collection.slug as CollectionSlug))
    return {
      ...incoming,
      collections: incoming.collections?.map((collection) =>
        isLimited(collection) ? withSignInLimits(collection, limiter) : collection,
      ),
    }
  }
