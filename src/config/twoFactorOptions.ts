import type { TwoFactorPluginOptions } from '../../plugins/twoFactor/types'
import { collectionSlugs } from '../../collections/slugs'
import { hasAdminRole } from './access'
import { isPasswordMatchingHash } from './auth/passwordHash'
import type { AppEnv } from './env'
import { getLoginRateLimiter } from './loginRateLimitOptions'

/** Shown by authenticator apps above the account name. */
export const totpIssuer = 'catalog-cms'

/**
 * How this app uses the two-factor plugin: on its users, admins by role, REQUIRE_2FA_FOR_ADMINS,
 * and code guesses counted by the same limiter as sign-ins.
 */
export const getTwoFactorPluginOptions = (
  env: Pick<
    AppEnv,
    | 'isTwoFactorRequiredForAdmins'
    | 'LOGIN_RATE_LIMIT_WINDOW_SECONDS'
    | 'LOGIN_RATE_LIMIT_ACCOUNT_FAILURES'
    | 'LOGIN_RATE_LIMIT_IP_ATTEMPTS'
    | 'DATABASE_URL'
  >,
): TwoFactorPluginOptions => ({
  collection: collectionSlugs.users,
  isAdmin: hasAdminRole,
  isRequiredForAdmins: env.isTwoFactorRequiredForAdmins,
  issuer: totpIssuer,
  verifyPassword: isPasswordMatchingHash,
  guessLimiter: getLoginRateLimiter(env),
})
