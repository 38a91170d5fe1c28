import type { CollectionSlug, PayloadRequest } from 'payload'

/** A signed-in user as Payload hands it to access rules and hooks. */
export type TwoFactorUser = NonNullable<PayloadRequest['user']>

/**
 * Counts guesses at a second factor, as a login rate limiter counts guesses at a password. Both
 * calls may throw (an `APIError` with status 429, say) to refuse the request.
 */
export type TwoFactorGuessLimiter = {
  /** Called before a code (or password) is checked; throw to refuse the attempt. */
  consumeAttempt: (args: { req: PayloadRequest; account?: unknown }) => Promise<void>
  /** Called once the check succeeded, to clear the account's count. */
  recordSuccess: (args: { req: PayloadRequest; account?: unknown }) => Promise<void>
}

export type TwoFactorPluginOptions = {
  /**
   * The auth collection that gets the two-factor fields, endpoints (`/api/<slug>/2fa/*`) and login
   * check. The admin views assume it is also the admin's user collection (`admin.user`).
   * @default 'users'
   */
  collection?: CollectionSlug
  /**
   * Leaves the plugin's fields in place (so migrations do not drift) but adds no endpoint, login
   * check, access gate or admin view: users sign in with their password alone.
   * @default false
   */
  disabled?: boolean
  /**
   * Who counts as an admin: only admins may reset another user's second factor
   * (`POST /api/<slug>/<id>/2fa/reset`), and `isRequiredForAdmins` covers exactly them.
   * @default () => false (nobody: no resets, and `isRequiredForAdmins` has no effect)
   */
  isAdmin?: (user: TwoFactorUser) => boolean
  /**
   * Admins (see `isAdmin`) without a second factor can do nothing but enrol: every collection and
   * global denies them (API clients get a 403 saying what to do) and the admin panel sends them to
   * the enrolment view.
   * @default false
   */
  isRequiredForAdmins?: boolean
  /**
   * Shown by authenticator apps above the account name (the `issuer` of the otpauth URI).
   * @default 'Payload'
   */
  issuer?: string
  /**
   * Checks the account password when a user turns two-factor off with it instead of a code. Gets
   * the stored user row, with its `salt` and `hash` columns.
   * @default Payload's own local-strategy check (PBKDF2-SHA256, current and legacy hashes)
   */
  verifyPassword?: (args: {
    password: string
    salt?: string | null
    hash?: string | null
  }) => Promise<boolean>
  /**
   * Limits guesses at a code during enrolment and when turning two-factor off (logins are counted
   * by the login's own limits, and by Payload's lockout where `maxLoginAttempts` is on).
   * @default undefined (no limit beyond Payload's lockout)
   */
  guessLimiter?: TwoFactorGuessLimiter
}

/** The options with every default applied, as the hooks and endpoints use them. */
export type SanitizedTwoFactorOptions = Required<Omit<TwoFactorPluginOptions, 'guessLimiter'>> &
  Pick<TwoFactorPluginOptions, 'guessLimiter'>
