import crypto from 'node:crypto'
import { promisify } from 'node:util'

import {
  isPayloadPasswordMatching,
  payloadHashParameters,
  payloadHashPrefix,
  payloadHashVersion,
} from '../../../plugins/payloadInternals'

const pbkdf2 = promisify(crypto.pbkdf2)

/** What Payload (and so ADMIN_PASSWORD / ADMIN_PASSWORD_HASH) accepts as a password's length. */
export const adminPasswordLength = { min: 12, max: 256 }

/** Checks a password against a stored Payload salt/hash pair in constant time. */
export const isPasswordMatchingHash = isPayloadPasswordMatching

/** The portable form of a salt/hash pair, for ADMIN_PASSWORD_HASH: `pbkdf2-sha256-v1$<salt>$<digest>`. */
export const portableHashPattern = new RegExp(
  `^${payloadHashVersion}\\$([0-9a-f]{64})\\$([0-9a-f]{64})$`,
)

/** Hashes a password the way Payload does, as one string an operator can keep in a secret store. */
export const hashPasswordPortably = async (password: string): Promise<string> => {
  const salt = crypto.randomBytes(32).toString('hex')
  const { iterations, keyLength, digest: algorithm } = payloadHashParameters
  const digest = await pbkdf2(password, salt, iterations, keyLength, algorithm)
  return `${payloadHashVersion}$${salt}$${digest.toString('hex')}`
}

/** The salt and hash columns Payload stores for the password a portable hash was made from. */
export const toStoredPassword = (portableHash: string): { salt: string; hash: string } => {
  const match = portableHashPattern.exec(portableHash)
  if (!match) throw new Error('Not a password hash from `npm run hash-password`.')
  return { salt: match[1], hash: `${payloadHashPrefix}${match[2]}` }
}
