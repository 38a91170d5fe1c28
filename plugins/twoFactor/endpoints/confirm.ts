import type { PayloadHandler } from 'payload'

import { twoFactorError } from '../errors'
import { checkSecondFactor } from '../secondFactor/checkSecondFactor'
import type { SanitizedTwoFactorOptions } from '../types'
import {
  generateBackupCodes,
  hashBackupCode,
  normaliseBackupCode,
} from '../utilities/secretStorage'

import {
  changeSecondFactor,
  endpointUrl,
  loadOwnAccount,
  readBody,
  respondPrivately,
  withGuessLimits,
} from './shared'

/** Finishes the enrolment with a code from the app; answers the backup codes, once. */
export const getConfirmHandler =
  (options: Pick<SanitizedTwoFactorOptions, 'collection' | 'guessLimiter'>): PayloadHandler =>
  async (req) => {
    const user = await loadOwnAccount(req, options)
    const { code } = await readBody(req)
    if (user.twoFactorEnabled) throw twoFactorError('Two-factor authentication is already on.', 409)
    if (!user.totpSecret) {
      throw twoFactorError(
        `Start with POST ${endpointUrl(req, options, '/2fa/setup')}, then confirm with a code.`,
        409,
      )
    }
    await withGuessLimits({
      req,
      options,
      account: user.email,
      isAccepted: async () =>
        Boolean(
          await checkSecondFactor({
            req,
            collection: options.collection,
            user,
            code,
            isEnrolment: true,
          }),
        ),
      refusal: twoFactorError(
        'That code is not valid. Enter the current 6-digit code your authenticator app shows.',
        400,
      ),
    })
    const backupCodes = generateBackupCodes()
    const backupCodeHashes = backupCodes.map((backupCode) =>
      hashBackupCode({
        appSecret: req.payload.secret,
        code: normaliseBackupCode(backupCode) as string,
      }),
    )
    await changeSecondFactor({
      req,
      options,
      userId: user.id,
      data: { twoFactorEnabled: true, backupCodes: JSON.stringify(backupCodeHashes) },
    })
    return respondPrivately({
      message:
        'Two-factor authentication is on. Keep these backup codes somewhere safe: each works once, and they are not shown again.',
      backupCodes,
    })
  }
