import crypto from 'node:crypto'
import { promisify } from 'node:util'

const pbkdf2 = promisify(crypto.pbkdf2)

/**
 * Payload's local strategy stores `salt` and `hash`. It exports no function to check a password
 * against them, so this repeats its scheme (payload 3.90's `generatePasswordSaltHash` and
 * `authenticateLocalStrategy`): current hashes carry this version prefix and 600,000 PBKDF2-SHA256
 * iterations into 32 bytes; hashes from before the prefix use 25,000 iterations into 512 bytes.
 */
export const payloadHashVersion = 'pbkdf2-sha256-v1'
export const payloadHashPrefix = `${payloadHashVersion}:`
/** What Payload derives every new password with. */
export const payloadHashParameters = {
  iterations: 600_000,
  keyLength: 32,
  digest: 'sha256',
} as const
const legacyHashParameters = { iterations: 25_000, keyLength: 512, digest: 'sha256' } as const

const getHashParameters = (storedHash: string) =>
  storedHash.startsWith(payloadHashPrefix)
    ? { storedDigest: storedHash.slice(payloadHashPrefix.length), ...payloadHashParameters }
    : { storedDigest: storedHash, ...legacyHashParameters }

/** Checks a password against a stored Payload salt/hash pair in constant time. */
export const isPayloadPasswordMatching = async ({
  password,
  salt,
  hash,
}: {
  password: string
  salt?: string | null
  hash?: string | null
}): Promise<boolean> => {
  if (!salt || !hash) return false
  const { storedDigest, iterations, keyLength, digest } = getHashParameters(hash)
  const expected = Buffer.from(storedDigest, 'hex')
  const actual = await pbkdf2(password, salt, iterations, keyLength, digest)
  return expected.length === actual.length && crypto.timingSafeEqual(expected, actual)
}
