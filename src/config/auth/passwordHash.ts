import crypto from 'node:crypto'
import { promisify } from 'node:util'

const pbkdf2 = promisify(crypto.pbkdf2)

/** What Payload (and so ADMIN_PASSWORD / ADMIN_PASSWORD_HASH) accepts as a password's length. */
export const adminPasswordLength = { min: 12, max: 256 }

/**
 * Payload's local strategy stores `salt` and `hash`. Current hashes carry a version prefix and are
 * what `generatePasswordSaltHash` writes for new passwords; older ones have no prefix.
 */
const hashVersion = 'pbkdf2-sha256-v1'
const currentHashPrefix = `${hashVersion}:`
const currentParameters = { iterations: 600_000, keyLength: 32 }
const legacyParameters = { iterations: 25_000, keyLength: 512 }

const getHashParameters = (storedHash: string) =>
  storedHash.startsWith(currentHashPrefix)
    ? { digest: storedHash.slice(currentHashPrefix.length), ...currentParameters }
    : { digest: storedHash, ...legacyParameters }

type VerifyArgs = { password: string; salt?: null | string; hash?: null | string }

/** Checks a password against a stored Payload salt/hash pair in constant time. */
export const isPasswordMatchingHash = async ({
  password,
  salt,
  hash,
}: VerifyArgs): Promise<boolean> => {
  if (!salt || !hash) return false
  const { digest, iterations, keyLength } = getHashParameters(hash)
  const expected = Buffer.from(digest, 'hex')
  const actual = await pbkdf2(password, salt, iterations, keyLength, 'sha256')
  return expected.length === actual.length && crypto.timingSafeEqual(expected, actual)
}

/** The portable form of a salt/hash pair, for ADMIN_PASSWORD_HASH: `pbkdf2-sha256-v1$<salt>$<digest>`. */
export const portableHashPattern = new RegExp(`^${hashVersion}\\$([0-9a-f]{64})\\$([0-9a-f]{64})$`)

/** Hashes a password the way Payload does, as one string an operator can keep in a secret store. */
export const hashPasswordPortably = async (password: string): Promise<string> => {
  const salt = crypto.randomBytes(32).toString('hex')
  const { iterations, keyLength } = currentParameters
  const digest = await pbkdf2(password, salt, iterations, keyLength, 'sha256')
  return `${hashVersion}$${salt}$${digest.toString('hex')}`
}

/** The salt and hash columns Payload stores for the password a portable hash was made from. */
export const toStoredPassword = (portableHash: string): { salt: string; hash: string } => {
  const match = portableHashPattern.exec(portableHash)
  if (!match) throw new Error('Not a password hash from `npm run hash-password`.')
  return { salt: match[1], hash: `${currentHashPrefix}${match[2]}` }
}
