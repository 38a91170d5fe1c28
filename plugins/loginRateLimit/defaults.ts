import type { LoginRateLimitPluginOptions, SanitizedLoginRateLimitOptions } from './types'
import { createLoginRefusalMemory } from './utilities/loginRefusals'

export const loginRateLimitDefaults = {
  isEnabled: true,
  windowSeconds: 15 * 60,
  accountFailures: 5,
  ipAttempts: 20,
  tableName: 'login_rate_limits',
  isTableCreated: false,
  poolApplicationName: 'payload-login-rate-limit',
} as const

/** Fills in every default once, so the rest of the plugin reads plain values. */
export const sanitizeLoginRateLimitOptions = (
  options: LoginRateLimitPluginOptions,
): SanitizedLoginRateLimitOptions => ({
  ...loginRateLimitDefaults,
  // No proxy header is trusted unless the app says how it knows the client's address.
  getClientIp: () => undefined,
  refusalMemory: createLoginRefusalMemory(),
  onRefusal: () => undefined,
  isAnsweredByApp: () => false,
  ...withoutUndefined(options),
  connectionString: options.connectionString,
})

const withoutUndefined = <T extends object>(options: T): Partial<T> =>
  Object.fromEntries(
    Object.entries(options).filter(([, value]) => value !== undefined),
  ) as Partial<T>
