import type { SanitizedSignInTimingOptions, SignInTimingPluginOptions } from './types'
import { checkAgainstStandIn } from './utilities/standInPassword'

/**
 * For an existing account Payload stores a reset token (with every hook of a user update) and sends
 * the email before it answers; for an unknown email, or one asked about in the last 15 seconds, it
 * answers at once. 300 ms is well above the ~20 ms the token and a local email transport take.
 */
export const signInTimingDefaults = {
  isEnabled: true,
  forgotPasswordMinimumMs: 300,
} as const

export const sanitizeSignInTimingOptions = (
  options: SignInTimingPluginOptions = {},
): SanitizedSignInTimingOptions => ({
  isEnabled: options.isEnabled ?? signInTimingDefaults.isEnabled,
  forgotPasswordMinimumMs:
    options.forgotPasswordMinimumMs ?? signInTimingDefaults.forgotPasswordMinimumMs,
  checkPassword: options.checkPassword ?? ((password) => checkAgainstStandIn(password)),
})
