import type { PayloadRequest } from 'payload'

/** Body field of `POST /api/<collection>/login` (and reset-password) carrying the code. */
export const twoFactorCodeField = 'totp'

/** The same code as a header, for GraphQL's login mutation, whose arguments Payload fixes. */
export const twoFactorCodeHeader = 'x-totp-code'

/**
 * Symbol keys: `req.context` is shared with every hook (and GraphQL hands hooks a proxy of the
 * request, so only the context object is common to the operation and the error hooks), but symbol
 * keys are never enumerated or serialised anywhere.
 */
export const submittedCodeKey = Symbol('twoFactorSubmittedCode')
export const failedUserKey = Symbol('twoFactorFailedUser')

export type ContextWithTwoFactor = Record<PropertyKey, unknown>

export const contextOf = (req: PayloadRequest) => req.context as ContextWithTwoFactor
