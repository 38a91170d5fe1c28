import type { SanitizedTwoFactorOptions, TwoFactorPluginOptions } from './types'
import { isPayloadPasswordMatching } from '../payloadInternals'

export const defaultCollection = 'users'

export const defaultIssuer = 'Payload'

/** Where the plugin leaves its sanitized options: the server-only `custom` of the config. */
export const twoFactorOptionsKey = 'twoFactor'

export const sanitizeTwoFactorOptions = (
  options: TwoFactorPluginOptions,
): SanitizedTwoFactorOptions => ({
  collection: options.collection ?? defaultCollection,
  disabled: options.disabled ?? false,
  isAdmin: options.isAdmin ?? (() => false),
  isRequiredForAdmins: options.isRequiredForAdmins ?? false,
  issuer: options.issuer ?? defaultIssuer,
  verifyPassword: options.verifyPassword ?? isPayloadPasswordMatching,
  guessLimiter: options.guessLimiter,
})
