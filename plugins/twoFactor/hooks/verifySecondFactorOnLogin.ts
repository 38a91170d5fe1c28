import type { CollectionBeforeLoginHook, PayloadRequest, TypeWithID } from 'payload'

import { SecondFactorRequiredError, UnreadableEnrolmentError } from '../errors'
import {
  checkSecondFactor,
  isEnrolmentUnreadable,
  type TwoFactorState,
} from '../secondFactor/checkSecondFactor'
import type { SanitizedTwoFactorOptions } from '../types'

import { contextOf, failedUserKey, submittedCodeKey } from './loginContext'

const missingCodeMessage =
  'This account uses two-factor authentication: send the 6-digit code from your authenticator app, or a backup code, as "totp" (or in the X-TOTP-Code header).'
const invalidCodeMessage =
  'The two-factor code is not valid. Use the current 6-digit code from your authenticator app, or a backup code you have not used yet.'

const logUnreadableEnrolment = (
  req: PayloadRequest,
  { collection, userId }: { collection: string; userId: number | string },
) =>
  req.payload.logger.error({
    msg: `A user with two-factor authentication on cannot sign in: their TOTP secret does not decrypt with the current PAYLOAD_SECRET (rotated since they enrolled, or the stored value was altered). An admin resets it with POST ${req.payload.config.routes.api}/${collection}/<id>/2fa/reset; the two-factor plugin's README has the recovery steps.`,
    userId,
  })

/**
 * Runs after the password was accepted, inside the login's transaction. Throwing rolls back the
 * session Payload just created and the reset of the failed-attempt counter.
 *
 * Guessing codes is limited like guessing passwords: the login's rate limits (if the app has any)
 * counted this request before the password was checked, and only a successful login clears that
 * count. Where Payload's lockout is on, the plugin's afterError hook counts the failure towards it
 * too, once the transaction is gone.
 */
export const getVerifySecondFactorOnLoginHook =
  ({
    options,
  }: {
    options: Pick<SanitizedTwoFactorOptions, 'collection' | 'guessLimiter'>
  }): CollectionBeforeLoginHook =>
  async ({ req, user }) => {
    const state = user as TwoFactorState & TypeWithID
    if (!state.twoFactorEnabled) return user
    const code = contextOf(req)[submittedCodeKey]
    const isMissing = code === undefined || code === null || code === ''
    const method = isMissing
      ? undefined
      : await checkSecondFactor({ req, collection: options.collection, user: state, code })
    if (method) return user
    if (isEnrolmentUnreadable({ req, user: state })) {
      logUnreadableEnrolment(req, { collection: options.collection, userId: state.id })
      // The password was right and no code can be: not a guess, so the per-account count the login
      // took before its check is cleared again.
      if (req.payloadAPI !== 'local') {
        await options.guessLimiter?.recordSuccess({
          req,
          account: (user as { email?: unknown }).email,
        })
      }
      throw new UnreadableEnrolmentError()
    }
    contextOf(req)[failedUserKey] = user
    throw new SecondFactorRequiredError(isMissing ? missingCodeMessage : invalidCodeMessage)
  }
