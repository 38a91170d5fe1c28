import type { PayloadHandler, PayloadRequest } from 'payload'

import { twoFactorViewPath } from '../components/paths'
import { twoFactorError } from '../errors'
import { readTwoFactorState } from '../secondFactor/checkSecondFactor'
import type { SanitizedTwoFactorOptions, TwoFactorUser } from '../types'
import { isAwaitingTwoFactorEnrolment } from '../utilities/requirement'

import { endpointUrl, respondPrivately, turnOffSecondFactor } from './shared'

type ResetOptions = Pick<
  SanitizedTwoFactorOptions,
  'collection' | 'isAdmin' | 'isRequiredForAdmins'
>

/** The admin making the reset, who must have a second factor when admins are required to. */
const requireAdmin = (req: PayloadRequest, options: ResetOptions): TwoFactorUser => {
  const admin = req.user
  if (!admin || admin.collection !== options.collection || !options.isAdmin(admin)) {
    throw twoFactorError('Only admins can reset another user’s two-factor authentication.', 403)
  }
  if (isAwaitingTwoFactorEnrolment({ user: admin, ...options })) {
    throw twoFactorError(
      `Turn on your own two-factor authentication first (${req.payload.config.routes.admin}${twoFactorViewPath}).`,
      403,
    )
  }
  return admin
}

/**
 * An admin clears another user's second factor, for someone who lost both device and backup
 * codes. The user then signs in with their password alone and enrols again.
 */
export const getResetHandler =
  (options: ResetOptions): PayloadHandler =>
  async (req) => {
    const admin = requireAdmin(req, options)
    const targetId = req.routeParams?.id
    if (typeof targetId !== 'string' && typeof targetId !== 'number') {
      throw twoFactorError(
        `Name the user in the path: POST ${endpointUrl(req, options, '/<id>/2fa/reset')}.`,
        400,
      )
    }
    if (String(targetId) === String(admin.id)) {
      throw twoFactorError(
        `For your own account use POST ${endpointUrl(req, options, '/2fa/disable')}.`,
        400,
      )
    }
    // Ids here are Postgres serials; anything else cannot name a user and must not reach the query.
    const target = /^\d+$/.test(String(targetId))
      ? await readTwoFactorState({ req, collection: options.collection, userId: Number(targetId) })
      : null
    if (!target) throw twoFactorError('There is no user with that id.', 404)
    await turnOffSecondFactor({ req, options, userId: target.id })
    return respondPrivately({ message: 'Two-factor authentication is off for that user.' })
  }
