import type { CollectionSlug, PayloadRequest } from 'payload'

import {
  decryptTotpSecret,
  findBackupCodeHash,
  normaliseBackupCode,
  parseStoredBackupCodes,
} from '../utilities/secretStorage'
import { normaliseTotpCode, verifyTotpCode } from '../utilities/totp'
import { markCodeUsed } from './usedCodes'

/** The two-factor columns as the database returns them (hidden fields included). */
export type TwoFactorState = {
  id: number | string
  twoFactorEnabled?: boolean | null
  totpSecret?: string | null
  totpLastTimeStep?: number | null
  backupCodes?: string | null
}

type SecondFactorMethod = 'totp' | 'backup-code'

type CheckArgs = {
  req: PayloadRequest
  /** The auth collection the user belongs to. */
  collection: CollectionSlug
  user: TwoFactorState
  /** What the client sent; anything that is not a well-formed code simply fails. */
  code: unknown
  /** During enrolment the pending secret is checked and backup codes do not exist yet. */
  isEnrolment?: boolean
}

/**
 * Spends a TOTP code: valid now, later than the latest accepted one, and not used before (the
 * used-codes table decides races between two requests with the same code).
 */
const spendTotpCode = async ({ req, collection, user, code }: CheckArgs & { code: string }) => {
  const totpSecret = decryptTotpSecret({
    appSecret: req.payload.secret,
    userId: user.id,
    stored: user.totpSecret,
  })
  if (!totpSecret) return false
  const timeStep = await verifyTotpCode({
    totpSecret,
    code,
    lastTimeStep: user.totpLastTimeStep,
  })
  if (timeStep === undefined) return false
  if (
    !(await markCodeUsed({ payload: req.payload, userId: user.id, codeKey: `totp:${timeStep}` }))
  ) {
    return false
  }
  await req.payload.db.updateOne({
    collection,
    id: user.id,
    data: { totpLastTimeStep: timeStep },
    req,
    returning: false,
  })
  return true
}

/** Spends a backup code: one of those issued at enrolment, and not used before. */
const spendBackupCode = async ({ req, user, code }: CheckArgs & { code: string }) => {
  const hash = findBackupCodeHash({
    appSecret: req.payload.secret,
    code,
    storedHashes: parseStoredBackupCodes(user.backupCodes),
  })
  return (
    hash !== undefined &&
    markCodeUsed({ payload: req.payload, userId: user.id, codeKey: `backup:${hash}` })
  )
}

/**
 * The one place a second factor is checked — at login, at enrolment and when turning it off.
 * Returns how the user proved it, or undefined; a code that worked is used up. Rate limiting and
 * lockout counting happen in the callers, which know which request this is.
 */
export const checkSecondFactor = async (
  args: CheckArgs,
): Promise<SecondFactorMethod | undefined> => {
  if (typeof args.code !== 'string' || args.code.length > 64) return undefined
  const totpCode = normaliseTotpCode(args.code)
  if (totpCode) return (await spendTotpCode({ ...args, code: totpCode })) ? 'totp' : undefined
  if (args.isEnrolment) return undefined
  const backupCode = normaliseBackupCode(args.code)
  if (backupCode) {
    return (await spendBackupCode({ ...args, code: backupCode })) ? 'backup-code' : undefined
  }
  return undefined
}

/**
 * Two-factor is on but its secret no longer decrypts: the app secret changed since the user
 * enrolled (which invalidates the backup codes too), or the stored value was altered. No TOTP code
 * can be accepted until an admin resets the enrolment.
 */
export const isEnrolmentUnreadable = ({
  req,
  user,
}: {
  req: PayloadRequest
  user: TwoFactorState
}): boolean =>
  Boolean(user.twoFactorEnabled) &&
  decryptTotpSecret({ appSecret: req.payload.secret, userId: user.id, stored: user.totpSecret }) ===
    undefined

/** Reads the user's two-factor columns straight from the database: they are hidden from the API. */
export const readTwoFactorState = async ({
  req,
  collection,
  userId,
}: {
  req: PayloadRequest
  collection: CollectionSlug
  userId: number | string
}): Promise<TwoFactorState | null> =>
  req.payload.db.findOne<TwoFactorState>({
    collection,
    where: { id: { equals: userId } },
    req,
  })
