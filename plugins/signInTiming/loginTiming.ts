import type { CollectionBeforeOperationHook } from 'payload'

import { isPasswordMatchingHash } from '../../src/config/auth/passwordHash'

/**
 * Stands in for the stored password of an account that does not exist: a salt and a hash in the
 * format Payload writes for every password it sets (PBKDF2-SHA256, 600,000 iterations, 32 bytes),
 * so checking a password against it costs what checking a real account's password costs. Its
 * answer is never used: no login can succeed through it.
 */
export const standInStoredPassword = {
  salt: '9bd04286cc1506240d9eb50ee46751f414c3d81041f7ce213eeb76e59185cf64',
  hash: 'pbkdf2-sha256-v1:7ceac5c719fa950203d03d86dac88a276778385fbececaceb070b22ffd7f8c29',
} as const

/** Spends one password check's worth of work on the password a login sent. */
export const checkAgainstStandIn = async (password: string): Promise<void> => {
  await isPasswordMatchingHash({ password, ...standInStoredPassword })
}

type EqualLoginTimingOptions = {
  /** The work done for a login naming no account. */
  checkPassword?: (password: string) => Promise<void>
}

/**
 * Payload answers a login for an unknown email at once, but hashes the password for a known one
 * (hundreds of milliseconds): the same 401 then told anyone timing it which emails have accounts.
 * This runs before the login, over REST and GraphQL alike: when no account has that email it checks
 * the password against a stand-in hash, so both answers take one password check. Logins Payload
 * refuses before any check (no password, no email) are left to it. The Local API is our own code.
 */
export const getEqualLoginTimingHook =
  ({
    checkPassword = checkAgainstStandIn,
  }: EqualLoginTimingOptions = {}): CollectionBeforeOperationHook =>
  async ({ args, collection, operation, req }) => {
    if (operation !== 'login' || req.payloadAPI === 'local') return args
    const { email, password } = ((args as { data?: unknown }).data ?? {}) as Record<string, unknown>
    if (typeof email !== 'string' || !email.trim()) return args
    if (typeof password !== 'string' || !password.trim()) return args
    // Found as Payload's login finds it: the email lower-cased and trimmed.
    const account = await req.payload.db.findOne({
      collection: collection.slug,
      where: { email: { equals: email.toLowerCase().trim() } },
      select: { id: true },
      req,
    })
    if (!account) await checkPassword(password)
    return args
  }

export const equalLoginTiming = getEqualLoginTimingHook()
