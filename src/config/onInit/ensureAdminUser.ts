import crypto from 'node:crypto'

import type { Payload } from 'payload'

import { collectionSlugs } from '../../../collections/slugs'
import { isPasswordMatchingHash, toStoredPassword } from '../auth/passwordHash'

/** ADMIN_PASSWORD, or ADMIN_PASSWORD_HASH so that the plain password need not exist anywhere. */
export type AdminCredentials = { password: string } | { passwordHash: string }

type EnsureAdminUserArgs = {
  payload: Payload
  email: string
  credentials: AdminCredentials
}

export type AdminBootstrapResult = 'created' | 'updated' | 'unchanged'

const findUserByEmail = async (payload: Payload, email: string) => {
  const { docs } = await payload.find({
    collection: collectionSlugs.users,
    where: { email: { equals: email } },
    limit: 1,
    depth: 0,
    overrideAccess: true,
    showHiddenFields: true,
  })
  return docs[0]
}

type StoredUser = { salt?: string | null; hash?: string | null }

const isCredentialCurrent = async (user: StoredUser, credentials: AdminCredentials) => {
  if ('password' in credentials) {
    return isPasswordMatchingHash({ password: credentials.password, ...user })
  }
  const wanted = toStoredPassword(credentials.passwordHash)
  return user.salt === wanted.salt && user.hash === wanted.hash
}

/**
 * A hash is written to the salt and hash columns directly: Payload only hashes plain passwords
 * itself. Clearing the failed-attempt counters lets the admin in again after a lockout; clearing
 * the sessions ends every token issued with the old password, as Payload does when it changes a
 * password itself.
 */
const writePasswordHash = async (payload: Payload, id: number | string, passwordHash: string) => {
  await payload.db.updateOne({
    collection: collectionSlugs.users,
    id,
    data: { ...toStoredPassword(passwordHash), loginAttempts: 0, lockUntil: null },
  })
  // On its own: given an array and columns together, the adapter writes the row as an upsert of
  // just those columns, which the users table's required ones refuse.
  await payload.db.updateOne({
    collection: collectionSlugs.users,
    id,
    data: { sessions: [] },
    returning: false,
  })
}

/**
 * Makes the account named by ADMIN_EMAIL exist, be an admin and have the configured password.
 *
 * Idempotent, and safe when several replicas boot at once: a create that loses the race on the
 * unique email falls through to the update path. The password is only rewritten when it differs,
 * so a plain restart does not touch the account.
 */
export const ensureAdminUser = async ({
  payload,
  email,
  credentials,
}: EnsureAdminUserArgs): Promise<AdminBootstrapResult> => {
  let user = await findUserByEmail(payload, email)
  if (!user) {
    try {
      const created = await payload.create({
        collection: collectionSlugs.users,
        data: {
          email,
          // With a hash, the account starts with an unguessable password for the moment until the
          // hash replaces it.
          password:
            'password' in credentials
              ? credentials.password
              : crypto.randomBytes(32).toString('base64url'),
          role: 'admin',
          name: 'Administrator',
        },
        overrideAccess: true,
        context: { isAdminBootstrap: true },
      })
      if ('passwordHash' in credentials) {
        await writePasswordHash(payload, created.id, credentials.passwordHash)
      }
      return 'created'
    } catch (error) {
      user = await findUserByEmail(payload, email)
      if (!user) throw error
    }
  }

  const isPasswordCurrent = await isCredentialCurrent(user, credentials)
  const isLocked = Boolean(user.lockUntil && new Date(user.lockUntil).getTime() > Date.now())
  if (user.role === 'admin' && isPasswordCurrent && !isLocked) return 'unchanged'

  if (isLocked) {
    // The operator is restarting with known credentials: let the admin in again.
    await payload.unlock({
      collection: collectionSlugs.users,
      // The generated type lists `password`, but unlocking only looks the account up by email.
      data: { email } as { email: string; password: string },
      overrideAccess: true,
    })
  }
  const newPassword =
    !isPasswordCurrent && 'password' in credentials ? { password: credentials.password } : {}
  if (user.role !== 'admin' || 'password' in newPassword) {
    await payload.update({
      collection: collectionSlugs.users,
      id: user.id,
      data: { role: 'admin', ...newPassword },
      overrideAccess: true,
      context: { isAdminBootstrap: true },
    })
  }
  if (!isPasswordCurrent && 'passwordHash' in credentials) {
    await writePasswordHash(payload, user.id, credentials.passwordHash)
  }
  return 'updated'
}
