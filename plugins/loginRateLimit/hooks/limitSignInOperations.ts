import type { CollectionBeforeOperationHook, CollectionConfig } from 'payload'

import type { LoginRateLimiter } from '../types'
import { getAccountFromData, isFirstRegisterUrl } from '../utilities/signInRequest'

/**
 * Counts every sign-in-type operation of the collection before Payload does any work for it:
 * logins (per address, and per account and address), forgot and reset password, and the first
 * user's registration (per address). Trusted server code (seeds, scripts) signs in through the
 * Local API unlimited.
 */
export const getLimitSignInOperationsHook =
  ({
    collection,
    limiter,
  }: {
    collection: Pick<CollectionConfig, 'slug'>
    limiter: LoginRateLimiter
  }): CollectionBeforeOperationHook =>
  async ({ args, operation, req }) => {
    if (req.payloadAPI === 'local') return args
    const data = (args as { data?: unknown }).data
    if (operation === 'login') {
      await limiter.consumeAttempt({ req, account: getAccountFromData(data) })
    } else if (operation === 'forgotPassword' || operation === 'resetPassword') {
      await limiter.consumeAttempt({ req })
    } else if (operation === 'create' && isFirstRegisterUrl(req.url, collection.slug)) {
      await limiter.consumeAttempt({ req })
    }
    return args
  }
