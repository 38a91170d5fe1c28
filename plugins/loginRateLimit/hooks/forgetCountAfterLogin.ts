import type { CollectionAfterLoginHook } from 'payload'

import type { LoginRateLimiter } from '../types'

/**
 * Clears the account's count from this address once it signed in, named as its login named it
 * (Payload found it by that, lower-cased).
 */
export const getForgetCountAfterLoginHook =
  ({ limiter }: { limiter: LoginRateLimiter }): CollectionAfterLoginHook =>
  async ({ req, user }) => {
    if (req.payloadAPI === 'local') return user
    const { email, username } = user as { email?: unknown; username?: unknown }
    await limiter.recordSuccess({ req, account: email ?? username })
    return user
  }
