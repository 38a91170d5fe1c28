import QRCode from 'qrcode'
import type { PayloadHandler } from 'payload'

import { twoFactorError } from '../errors'
import { forgetUsedCodes } from '../secondFactor/usedCodes'
import type { SanitizedTwoFactorOptions } from '../types'
import { encryptTotpSecret } from '../utilities/secretStorage'
import { buildOtpauthUri, createTotpSecret } from '../utilities/totp'

import { endpointUrl, loadOwnAccount, respondPrivately } from './shared'

/** Starts (or restarts) an enrolment: a new pending secret, as an otpauth URI and a QR code. */
export const getSetupHandler =
  (options: Pick<SanitizedTwoFactorOptions, 'collection' | 'issuer'>): PayloadHandler =>
  async (req) => {
    const user = await loadOwnAccount(req, options)
    if (user.twoFactorEnabled) {
      throw twoFactorError(
        `Two-factor authentication is already on. Turn it off first (POST ${endpointUrl(req, options, '/2fa/disable')}) to move it to another device.`,
        409,
      )
    }
    const totpSecret = createTotpSecret()
    // Written without hooks: a pending secret changes nothing an audit log could show.
    await req.payload.db.updateOne({
      collection: options.collection,
      id: user.id,
      data: {
        totpSecret: encryptTotpSecret({
          appSecret: req.payload.secret,
          userId: user.id,
          totpSecret,
        }),
        totpLastTimeStep: null,
      },
      req,
      returning: false,
    })
    await forgetUsedCodes({ payload: req.payload, userId: user.id })
    const otpauthUri = buildOtpauthUri({ email: user.email, issuer: options.issuer, totpSecret })
    return respondPrivately({
      otpauthUri,
      qrCodeDataUrl: await QRCode.toDataURL(otpauthUri, { margin: 1, width: 240 }),
      // For apps that cannot scan: the same secret, in groups of four.
      manualEntryKey: totpSecret.match(/.{1,4}/g)?.join(' '),
      message: `Scan the QR code, then send a code from the app to POST ${endpointUrl(req, options, '/2fa/confirm')}.`,
    })
  }
