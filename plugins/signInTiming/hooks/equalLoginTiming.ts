import type { CollectionBeforeOperationHook } from 'payload'

import { checkAgainstStandIn } from '../utilities/standInPassword'

type EqualLoginTimingOptions = {
  /** The work done for a login naming no account. */
  checkPassword?: (password: string) => Promise<void>
}

/**
 * Payload answers a login for an unknown email at once, but hashes the password for a known one
 * (hundreds of milliseconds): the same 401 then told anyone timing it which emails have accounts.
 * This runs before the login, over REST and GraphQL alike: when no account has that email it checks
 * the password against a stand-in hash, so both answers take one password check. Logins Payload
 * refuses before any check (no password, no email) are left to it. The Local API is the app's own
 * server code.
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
