import QRCode from 'qrcode'
import {
  addDataAndFileToRequest,
  type APIError,
  commitTransaction,
  initTransaction,
  killTransaction,
  type Endpoint,
  type PayloadHandler,
  type PayloadRequest,
} from 'payload'

import { hasAdminRole } from '../../src/config/access'
import { isPasswordMatchingHash } from '../../src/config/auth/passwordHash'
import { publicApiError } from '../../src/config/errors/publicApiError'
import { endOtherSessions } from './sessions'
import { checkSecondFactor, readTwoFactorState, type TwoFactorState } from './secondFactor'
import {
  encryptTotpSecret,
  generateBackupCodes,
  hashBackupCode,
  normaliseBackupCode,
} from './secretStorage'
import { getTwoFactorSettings, isAwaitingTwoFactorEnrolment } from './settings'
import { buildOtpauthUri, createTotpSecret } from './totp'
import { forgetUsedCodes } from './usedCodes'
import { getLoginRateLimiter } from '../loginRateLimit'
import { collectionSlugs } from '../../collections/slugs'

type StoredUser = TwoFactorState & { email: string; hash?: string | null; salt?: string | null }

/** Secrets and backup codes in a response must not be kept by a browser or a proxy cache. */
const respondPrivately = (body: unknown) =>
  Response.json(body, { headers: { 'Cache-Control': 'no-store' } })

const publicError = (message: string, status: number): APIError =>
  publicApiError({ name: 'TwoFactorError', message, status })

/** Every endpoint acts on the signed-in user's own account, loaded fresh from the database. */
const loadOwnAccount = async (req: PayloadRequest): Promise<StoredUser> => {
  const state =
    req.user?.collection === collectionSlugs.users
      ? await readTwoFactorState({ req, userId: req.user.id })
      : null
  if (!state) {
    throw publicError('Log in first: two-factor settings belong to the signed-in account.', 401)
  }
  return state as StoredUser
}

const readBody = async (req: PayloadRequest): Promise<Record<string, unknown>> => {
  await addDataAndFileToRequest(req)
  const data: unknown = req.data
  return typeof data === 'object' && data !== null && !Array.isArray(data)
    ? (data as Record<string, unknown>)
    : {}
}

/**
 * Code checks at enrolment and when turning two-factor off count against the same limits as
 * logins: they are guesses at a second factor too. Each is counted before it is checked.
 */
const withGuessLimits = async ({
  req,
  account,
  isAccepted,
  refusal,
}: {
  req: PayloadRequest
  account: string
  isAccepted: () => Promise<boolean>
  refusal: APIError
}) => {
  const limiter = getLoginRateLimiter()
  await limiter.consumeAttempt({ req, account })
  if (!(await isAccepted())) throw refusal
  await limiter.recordSuccess({ req, account })
}

const updateTwoFactorState = (
  req: PayloadRequest,
  userId: number | string,
  data: Partial<Omit<TwoFactorState, 'id'>>,
) =>
  // Through the Local API (not the database adapter) so the change is audited, with the secret
  // and codes redacted there; overrideAccess because these fields refuse ordinary writes.
  req.payload.update({
    collection: collectionSlugs.users,
    id: userId,
    data,
    overrideAccess: true,
    req,
  })

/**
 * A change of the second factor and the end of the user's other sessions, committed together:
 * no moment exists where the new state holds and a session from before it still works.
 */
const changeSecondFactor = async (
  req: PayloadRequest,
  userId: number | string,
  data: Partial<Omit<TwoFactorState, 'id'>>,
) => {
  const shouldCommit = await initTransaction(req)
  try {
    await updateTwoFactorState(req, userId, data)
    // Tokens from before, issued with the password alone or proven with the old factor, end here;
    // the session making the change (when it is the user's own) stays signed in.
    await endOtherSessions({ req, collection: collectionSlugs.users, userId })
    if (shouldCommit) await commitTransaction(req)
  } catch (error) {
    await killTransaction(req)
    throw error
  }
}

const turnOff = async (req: PayloadRequest, userId: number | string) => {
  await changeSecondFactor(req, userId, {
    twoFactorEnabled: false,
    totpSecret: null,
    totpLastTimeStep: null,
    backupCodes: null,
  })
  await forgetUsedCodes({ payload: req.payload, userId })
}

/** Starts (or restarts) an enrolment: a new pending secret, as an otpauth URI and a QR code. */
const setup: PayloadHandler = async (req) => {
  const user = await loadOwnAccount(req)
  if (user.twoFactorEnabled) {
    throw publicError(
      'Two-factor authentication is already on. Turn it off first (POST /api/users/2fa/disable) to move it to another device.',
      409,
    )
  }
  const totpSecret = createTotpSecret()
  // Written without hooks: a pending secret changes nothing the audit log could show.
  await req.payload.db.updateOne({
    collection: collectionSlugs.users,
    id: user.id,
    data: {
      totpSecret: encryptTotpSecret({ appSecret: req.payload.secret, userId: user.id, totpSecret }),
      totpLastTimeStep: null,
    },
    req,
    returning: false,
  })
  await forgetUsedCodes({ payload: req.payload, userId: user.id })
  const otpauthUri = buildOtpauthUri({ email: user.email, totpSecret })
  return respondPrivately({
    otpauthUri,
    qrCodeDataUrl: await QRCode.toDataURL(otpauthUri, { margin: 1, width: 240 }),
    // For apps that cannot scan: the same secret, in groups of four.
    manualEntryKey: totpSecret.match(/.{1,4}/g)?.join(' '),
    message: 'Scan the QR code, then send a code from the app to POST /api/users/2fa/confirm.',
  })
}

/** Finishes the enrolment with a code from the app; answers the backup codes, once. */
const confirm: PayloadHandler = async (req) => {
  const user = await loadOwnAccount(req)
  const { code } = await readBody(req)
  if (user.twoFactorEnabled) throw publicError('Two-factor authentication is already on.', 409)
  if (!user.totpSecret) {
    throw publicError('Start with POST /api/users/2fa/setup, then confirm with a code.', 409)
  }
  await withGuessLimits({
    req,
    account: user.email,
    isAccepted: async () =>
      Boolean(await checkSecondFactor({ req, user, code, isEnrolment: true })),
    refusal: publicError(
      'That code is not valid. Enter the current 6-digit code your authenticator app shows.',
      400,
    ),
  })
  const backupCodes = generateBackupCodes()
  await changeSecondFactor(req, user.id, {
    twoFactorEnabled: true,
    backupCodes: JSON.stringify(
      backupCodes.map((backupCode) =>
        hashBackupCode({
          appSecret: req.payload.secret,
          code: normaliseBackupCode(backupCode) as string,
        }),
      ),
    ),
  })
  return respondPrivately({
    message:
      'Two-factor authentication is on. Keep these backup codes somewhere safe: each works once, and they are not shown again.',
    backupCodes,
  })
}

/** Turns two-factor off, proven with a current code, a backup code or the account password. */
const disable: PayloadHandler = async (req) => {
  const user = await loadOwnAccount(req)
  const { code, password } = await readBody(req)
  if (!user.twoFactorEnabled) throw publicError('Two-factor authentication is not on.', 409)
  await withGuessLimits({
    req,
    account: user.email,
    isAccepted: async () =>
      typeof password === 'string' && password
        ? isPasswordMatchingHash({ password, salt: user.salt, hash: user.hash })
        : Boolean(await checkSecondFactor({ req, user, code })),
    refusal: publicError(
      'Send a current two-factor code, a backup code, or your password as "code" or "password".',
      403,
    ),
  })
  await turnOff(req, user.id)
  return respondPrivately({ message: 'Two-factor authentication is off.' })
}

/**
 * An admin clears another user's second factor, for someone who lost both device and backup
 * codes. The user then signs in with their password alone and enrols again.
 */
const reset: PayloadHandler = async (req) => {
  const admin = req.user
  if (!admin || admin.collection !== collectionSlugs.users || !hasAdminRole(admin)) {
    throw publicError('Only admins can reset another user’s two-factor authentication.', 403)
  }
  const settings = getTwoFactorSettings(req.payload)
  if (
    isAwaitingTwoFactorEnrolment({ user: admin, ...settings, usersSlug: collectionSlugs.users })
  ) {
    throw publicError('Turn on your own two-factor authentication first (/admin/two-factor).', 403)
  }
  const targetId = req.routeParams?.id
  if (typeof targetId !== 'string' && typeof targetId !== 'number') {
    throw publicError('Name the user in the path: POST /api/users/<id>/2fa/reset.', 400)
  }
  if (String(targetId) === String(admin.id)) {
    throw publicError('For your own account use POST /api/users/2fa/disable.', 400)
  }
  const target = /^\d+$/.test(String(targetId))
    ? await readTwoFactorState({ req, userId: Number(targetId) })
    : null
  if (!target) throw publicError('There is no user with that id.', 404)
  await turnOff(req, target.id)
  return respondPrivately({ message: 'Two-factor authentication is off for that user.' })
}

export const twoFactorEndpoints: Endpoint[] = [
  { path: '/2fa/setup', method: 'post', handler: setup },
  { path: '/2fa/confirm', method: 'post', handler: confirm },
  { path: '/2fa/disable', method: 'post', handler: disable },
  { path: '/:id/2fa/reset', method: 'post', handler: reset },
]
