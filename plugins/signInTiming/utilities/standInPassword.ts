import crypto from 'node:crypto'
import { promisify } from 'node:util'

import { payloadHashParameters } from '../../payloadInternals'

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

export { payloadHashParameters }

type DeriveKey = (
  password: string,
  salt: string,
  iterations: number,
  keyLength: number,
  digest: string,
) => Promise<Buffer>

const pbkdf2: DeriveKey = promisify(crypto.pbkdf2)

/**
 * Spends one password check's worth of work on the password a login sent: the same derivation and
 * constant-time comparison Payload's local strategy runs.
 */
export const checkAgainstStandIn = async (
  password: string,
  { deriveKey = pbkdf2 }: { deriveKey?: DeriveKey } = {},
): Promise<void> => {
  const { iterations, keyLength, digest } = payloadHashParameters
  const expected = Buffer.from(standInStoredPassword.hash.split(':')[1], 'hex')
  const actual = await deriveKey(
    password,
    standInStoredPassword.salt,
    iterations,
    keyLength,
    digest,
  )
  // Compared, as Payload compares, though no answer is used: the work is the point.
  if (expected.length === actual.length) crypto.timingSafeEqual(expected, actual)
}
