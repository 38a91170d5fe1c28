import {
  addDataAndFileToRequest,
  commitTransaction,
  initTransaction,
  killTransaction,
  type APIError,
  type PayloadRequest,
} from 'payload'

import { twoFactorError } from '../errors'
import { readTwoFactorState, type TwoFactorState } from '../secondFactor/checkSecondFactor'
import { endOtherSessions } from '../secondFactor/endOtherSessions'
import { forgetUsedCodes } from '../secondFactor/usedCodes'
import type { SanitizedTwoFactorOptions } from '../types'

export type StoredUser = TwoFactorState & {
  email: string
  hash?: string | null
  salt?: string | null
}

type EndpointOptions = Pick<SanitizedTwoFactorOptions, 'collection'>

/** Secrets and backup codes in a response must not be kept by a browser or a proxy cache. */
export const respondPrivately = (body: unknown) =>
  Response.json(body, { headers: { 'Cache-Control': 'no-store' } })

/** The REST path of one of the plugin's endpoints, for messages that say what to call next. */
export const endpointUrl = (req: PayloadRequest, options: EndpointOptions, path: string) =>
  `${req.payload.config.routes.api}/${options.collection}${path}`

/** Every endpoint acts on the signed-in user's own account, loaded fresh from the database. */
export const loadOwnAccount = async (
  req: PayloadRequest,
  options: EndpointOptions,
): Promise<StoredUser> => {
  const state =
    req.user?.collection === options.collection
      ? await readTwoFactorState({ req, collection: options.collection, userId: req.user.id })
      : null
  if (!state) {
    throw twoFactorError('Log in first: two-factor settings belong to the signed-in account.', 401)
  }
  return state as StoredUser
}

export const readBody = async (req: PayloadRequest): Promise<Record<string, unknown>> => {
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
export const withGuessLimits = async ({
  req,
  options,
  account,
  isAccepted,
  refusal,
}: {
  req: PayloadRequest
  options: Pick<SanitizedTwoFactorOptions, 'guessLimiter'>
  account: string
  isAccepted: () => Promise<boolean>
  refusal: APIError
}) => {
  await options.guessLimiter?.consumeAttempt({ req, account })
  if (!(await isAccepted())) throw refusal
  await options.guessLimiter?.recordSuccess({ req, account })
}

type TwoFactorChange = Partial<Omit<TwoFactorState, 'id'>>

/**
 * A change of the second factor and the end of the user's other sessions, committed together:
 * no moment exists where the new state holds and a session from before it still works.
 */
export const changeSecondFactor = async ({
  req,
  options,
  userId,
  data,
}: {
  req: PayloadRequest
  options: EndpointOptions
  userId: number | string
  data: TwoFactorChange
}) => {
  const shouldCommit = await initTransaction(req)
  try {
    // Through the Local API (not the database adapter) so the change runs the collection's hooks
    // (an audit log, say); overrideAccess because these fields refuse ordinary writes.
    await req.payload.update({
      collection: options.collection,
      id: userId,
      data,
      overrideAccess: true,
      req,
    })
    // Tokens from before, issued with the password alone or proven with the old factor, end here;
    // the session making the change (when it is the user's own) stays signed in.
    await endOtherSessions({ req, collection: options.collection, userId })
    if (shouldCommit) await commitTransaction(req)
  } catch (error) {
    await killTransaction(req)
    throw error
  }
}

export const turnOffSecondFactor = async ({
  req,
  options,
  userId,
}: {
  req: PayloadRequest
  options: EndpointOptions
  userId: number | string
}) => {
  await changeSecondFactor({
    req,
    options,
    userId,
    data: { twoFactorEnabled: false, totpSecret: null, totpLastTimeStep: null, backupCodes: null },
  })
  await forgetUsedCodes({ payload: req.payload, userId })
}
