import { incrementLoginAttempts, type AfterErrorHook, type CollectionSlug } from 'payload'

import { failedUserKey, type ContextWithTwoFactor } from './loginContext'

/** The user as the login operation hands it to hooks: the database row plus its collection. */
type LoginUser = Parameters<typeof incrementLoginAttempts>[0]['user'] & { collection: string }

/**
 * Payload's lockout counts wrong passwords only. A wrong or missing second factor is counted the
 * same way here, after the login's transaction was rolled back (the counter is written outside
 * any transaction, as Payload does, so parallel attempts see it).
 */
export const getCountFailedSecondFactorHook =
  (): AfterErrorHook =>
  async ({ req }) => {
    const context = req?.context as ContextWithTwoFactor | undefined
    const user = context?.[failedUserKey] as LoginUser | undefined
    if (!user || !context) return
    delete context[failedUserKey]
    const collection = req.payload.collections[user.collection as CollectionSlug] ?? undefined
    if (!collection?.config.auth?.maxLoginAttempts) return
    await incrementLoginAttempts({
      collection: collection.config,
      payload: req.payload,
      user,
    }).catch((error: unknown) =>
      req.payload.logger.error({ err: error, msg: 'Could not count a failed two-factor sign-in' }),
    )
  }
