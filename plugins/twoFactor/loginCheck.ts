import {
  APIError,
  incrementLoginAttempts,
  type AfterErrorHook,
  type CollectionBeforeLoginHook,
  type CollectionBeforeOperationHook,
  type CollectionSlug,
  type PayloadRequest,
  type TypeWithID,
} from 'payload'

import { getLoginRateLimiter } from '../loginRateLimit'

import { checkSecondFactor, isEnrolmentUnreadable, type TwoFactorState } from './secondFactor'

/** Body field of `POST /api/users/login` (and reset-password) carrying the code. */
const twoFactorCodeField = 'totp'

/** The same code as a header, for GraphQL's `loginUsers`, whose arguments Payload fixes. */
export const twoFactorCodeHeader = 'x-totp-code'

/**
 * Symbol keys: `req.context` is shared with every hook (and GraphQL hands hooks a proxy of the
 * request, so only the context object is common to the operation and the error hooks), but symbol
 * keys are never enumerated or serialised anywhere.
 */
const submittedCodeKey = Symbol('twoFactorSubmittedCode')
const failedUserKey = Symbol('twoFactorFailedUser')

/** The user as the login operation hands it to hooks: the database row plus its collection. */
type LoginUser = Parameters<typeof incrementLoginAttempts>[0]['user'] & { collection: string }

type ContextWithTwoFactor = Record<PropertyKey, unknown>

const contextOf = (req: PayloadRequest) => req.context as ContextWithTwoFactor

/** Thrown at login when the second factor is missing or wrong: 401, which the rate limits and
 * Payload's lockout count as a failed sign-in. `twoFactorRequired` tells the login form to ask. */
class SecondFactorRequiredError extends APIError<{ twoFactorRequired: true }> {
  constructor(message: string) {
    super(message, 401, { twoFactorRequired: true }, true)
    // Explicit: the production build leaves class names empty or mangled (src/config/errors/publicApiError.ts).
    this.name = 'SecondFactorRequiredError'
  }
}

/**
 * Thrown at login when no code can ever be right because the enrolment cannot be read. A 403, not
 * a 401: neither Payload's lockout nor the per-account rate limit counts it (the password was
 * right, and guessing codes is pointless), so the user keeps seeing this message rather than
 * "Too many sign-in attempts". Only an admin can help, and the message says so.
 */
class UnreadableEnrolmentError extends APIError {
  constructor() {
    super(
      'Your two-factor enrolment cannot be read on this server, so no code can be accepted; ask an admin to reset it. You then sign in with your password alone and set up two-factor again.',
      403,
      null,
      true,
    )
    this.name = 'UnreadableEnrolmentError'
  }
}

const missingCodeMessage =
  'This account uses two-factor authentication: send the 6-digit code from your authenticator app, or a backup code, as "totp" (or in the X-TOTP-Code header).'
const invalidCodeMessage =
  'The two-factor code is not valid. Use the current 6-digit code from your authenticator app, or a backup code you have not used yet.'

const readSubmittedCode = (req: PayloadRequest, data: unknown): unknown => {
  const fromData = (data as Record<string, unknown> | undefined)?.[twoFactorCodeField]
  const fromBody = (req.data as Record<string, unknown> | undefined)?.[twoFactorCodeField]
  return fromData ?? fromBody ?? req.headers?.get(twoFactorCodeHeader) ?? undefined
}

/**
 * Payload passes only email and password on to the login operation, so the code is picked up
 * before it runs: from the Local API's data, the REST body, or the header.
 */
export const rememberSubmittedCode: CollectionBeforeOperationHook = ({ args, operation, req }) => {
  if (operation === 'login' || operation === 'resetPassword') {
    contextOf(req)[submittedCodeKey] = readSubmittedCode(req, (args as { data?: unknown }).data)
  }
  return args
}

/**
 * Runs after the password was accepted, inside the login's transaction. Throwing rolls back the
 * session Payload just created and the reset of the failed-attempt counter.
 *
 * Guessing codes is limited like guessing passwords: the login rate limits counted this request
 * per address and per account before the password was checked, and only a successful login clears
 * that count. Where Payload's lockout is on, {@link countFailedSecondFactor} counts the failure
 * towards it too, once the transaction is gone.
 */
export const verifyTotpForLogin: CollectionBeforeLoginHook = async ({ req, user }) => {
  const state = user as TwoFactorState & TypeWithID
  if (!state.twoFactorEnabled) return user
  const code = contextOf(req)[submittedCodeKey]
  const isMissing = code === undefined || code === null || code === ''
  const method = isMissing ? undefined : await checkSecondFactor({ req, user: state, code })
  if (method) return user
  if (isEnrolmentUnreadable({ req, user: state })) {
    req.payload.logger.error({
      msg: 'A user with two-factor authentication on cannot sign in: their TOTP secret does not decrypt with the current PAYLOAD_SECRET (rotated since they enrolled, or the stored value was altered). An admin resets it with POST /api/users/<id>/2fa/reset; docs/SECURITY.md has the recovery steps.',
      userId: state.id,
    })
    // The password was right and no code can be: not a guess, so the per-account count the login
    // took before its check is cleared again.
    if (req.payloadAPI !== 'local') {
      await getLoginRateLimiter().recordSuccess({
        req,
        account: (user as { email?: unknown }).email,
      })
    }
    throw new UnreadableEnrolmentError()
  }
  contextOf(req)[failedUserKey] = user
  throw new SecondFactorRequiredError(isMissing ? missingCodeMessage : invalidCodeMessage)
}

/**
 * Payload's lockout counts wrong passwords only. A wrong or missing second factor is counted the
 * same way here, after the login's transaction was rolled back (the counter is written outside
 * any transaction, as Payload does, so parallel attempts see it).
 */
export const countFailedSecondFactor: AfterErrorHook = async ({ req }) => {
  const context = req?.context as ContextWithTwoFactor | undefined
  const user = context?.[failedUserKey] as LoginUser | undefined
  if (!user || !context) return
  delete context[failedUserKey]
  const collection = req.payload.collections[user.collection as CollectionSlug] ?? undefined
  if (!collection?.config.auth?.maxLoginAttempts) return
  await incrementLoginAttempts({ collection: collection.config, payload: req.payload, user }).catch(
    (error: unknown) =>
      req.payload.logger.error({ err: error, msg: 'Could not count a failed two-factor sign-in' }),
  )
}
