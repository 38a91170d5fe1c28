import type { PayloadHandler } from 'payload'

import { twoFactorError } from '../errors'
import { checkSecondFactor } from '../secondFactor/checkSecondFactor'
import type { SanitizedTwoFactorOptions } from '../types'

import {
  loadOwnAccount,
  readBody,
  respondPrivately,
  turnOffSecondFactor,
  withGuessLimits,
} from './shared'

/** Turns two-factor off, proven with a current code, a backup code or the account password. */
export const getDisableHandler =
  (
    options: Pick<SanitizedTwoFactorOptions, 'collection' | 'guessLimiter' | 'verifyPassword'>,
  ): PayloadHandler =>
  async (req) => {
    const user = await loadOwnAccount(req, options)
    const { code, password } = await readBody(req)
    if (!user.twoFactorEnabled) throw twoFactorError('Two-factor authentication is not on.', 409)
    await withGuessLimits({
      req,
      options,
      account: user.email,
      isAccepted: async () =>
        typeof password === 'string' && password
          ? options.verifyPassword({ password, salt: user.salt, hash: user.hash })
          : Boolean(await checkSecondFactor({ req, collection: options.collection, user, code })),
      refusal: twoFactorError(
        'Send a current two-factor code, a backup code, or your password as "code" or "password".',
        403,
      ),
    })
    await turnOffSecondFactor({ req, options, userId: user.id })
    return respondPrivately({ message: 'Two-factor authentication is off.' })
  }
