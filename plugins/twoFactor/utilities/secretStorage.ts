import crypto from 'node:crypto'

/**
 * Keys for two-factor data, derived from the app secret (Payload's `payload.secret`) so there is
 * no extra key to provision. Each purpose gets its own key. Rotating the secret therefore
 * invalidates every stored TOTP secret and backup code: the README says how to recover. The label
 * is fixed for good: changing it would make every stored secret unreadable.
 */
const deriveKey = (appSecret: string, purpose: 'totp-secret' | 'backup-codes'): Buffer =>
  Buffer.from(crypto.hkdfSync('sha256', appSecret, 'catalog-cms two-factor', purpose, 32))

const formatVersion = 'v1'

type SecretArgs = {
  appSecret: string
  /** Binds the ciphertext to its user: a secret copied onto another row does not decrypt. */
  userId: number | string
}

/** AES-256-GCM; the stored form is `v1.<iv>.<tag>.<ciphertext>`, base64url parts. */
export const encryptTotpSecret = ({
  appSecret,
  userId,
  totpSecret,
}: SecretArgs & { totpSecret: string }): string => {
  const iv = crypto.randomBytes(12)
  const cipher = crypto.createCipheriv('aes-256-gcm', deriveKey(appSecret, 'totp-secret'), iv)
  cipher.setAAD(Buffer.from(String(userId)))
  const ciphertext = Buffer.concat([cipher.update(totpSecret, 'utf8'), cipher.final()])
  return [
    formatVersion,
    ...[iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url')),
  ].join('.')
}

/** The plain TOTP secret, or undefined when the value was encrypted under another key or altered. */
export const decryptTotpSecret = ({
  appSecret,
  userId,
  stored,
}: SecretArgs & { stored: string | null | undefined }): string | undefined => {
  const [version, iv, tag, ciphertext] = (stored ?? '').split('.')
  if (version !== formatVersion || !iv || !tag || !ciphertext) return undefined
  try {
    const decipher = crypto.createDecipheriv(
      'aes-256-gcm',
      deriveKey(appSecret, 'totp-secret'),
      Buffer.from(iv, 'base64url'),
    )
    decipher.setAAD(Buffer.from(String(userId)))
    decipher.setAuthTag(Buffer.from(tag, 'base64url'))
    return Buffer.concat([
      decipher.update(Buffer.from(ciphertext, 'base64url')),
      decipher.final(),
    ]).toString('utf8')
  } catch {
    return undefined
  }
}

/** No 0/o, 1/l/i: backup codes are read off paper and typed by hand. */
const backupCodeAlphabet = 'abcdefghjkmnpqrstuvwxyz23456789'
const backupCodeLength = 10
export const backupCodeCount = 10

/** Ten codes such as `k7pq2-mxw9d`: about 49 random bits each. */
export const generateBackupCodes = (): string[] =>
  Array.from({ length: backupCodeCount }, () => {
    const characters = Array.from(
      { length: backupCodeLength },
      () => backupCodeAlphabet[crypto.randomInt(backupCodeAlphabet.length)],
    ).join('')
    return `${characters.slice(0, 5)}-${characters.slice(5)}`
  })

/** What the user typed, reduced to the code's characters; undefined when it cannot be one. */
export const normaliseBackupCode = (input: string): string | undefined => {
  const normalised = input.toLowerCase().replace(/[\s-]/g, '')
  return normalised.length === backupCodeLength &&
    [...normalised].every((character) => backupCodeAlphabet.includes(character))
    ? normalised
    : undefined
}

/**
 * A keyed hash (HMAC-SHA256): a copy of the database alone is not enough to test guesses offline,
 * and checking a code against all ten costs microseconds, not ten slow password hashes per login.
 */
export const hashBackupCode = ({ appSecret, code }: { appSecret: string; code: string }): string =>
  crypto.createHmac('sha256', deriveKey(appSecret, 'backup-codes')).update(code).digest('hex')

/** The stored hash the code matches, or undefined (each comparison in constant time). */
export const findBackupCodeHash = ({
  appSecret,
  code,
  storedHashes,
}: {
  appSecret: string
  code: string
  storedHashes: string[]
}): string | undefined => {
  const candidate = Buffer.from(hashBackupCode({ appSecret, code }), 'hex')
  return storedHashes.find((stored) => {
    const storedBytes = Buffer.from(stored, 'hex')
    return storedBytes.length === candidate.length && crypto.timingSafeEqual(storedBytes, candidate)
  })
}

/** The stored column is a JSON array of hashes; anything else counts as no codes left. */
export const parseStoredBackupCodes = (stored: string | null | undefined): string[] => {
  try {
    const parsed: unknown = JSON.parse(stored ?? '[]')
    return Array.isArray(parsed) ? parsed.filter((hash) => typeof hash === 'string') : []
  } catch {
    return []
  }
}
