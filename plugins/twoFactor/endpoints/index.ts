import type { Endpoint } from 'payload'

import type { SanitizedTwoFactorOptions } from '../types'

import { getConfirmHandler } from './confirm'
import { getDisableHandler } from './disable'
import { getResetHandler } from './reset'
import { getSetupHandler } from './setup'

/** The endpoints the plugin adds to its auth collection, under `/api/<collection>/`. */
export const getTwoFactorEndpoints = (options: SanitizedTwoFactorOptions): Endpoint[] => [
  { path: '/2fa/setup', method: 'post', handler: getSetupHandler(options) },
  { path: '/2fa/confirm', method: 'post', handler: getConfirmHandler(options) },
  { path: '/2fa/disable', method: 'post', handler: getDisableHandler(options) },
  { path: '/:id/2fa/reset', method: 'post', handler: getResetHandler(options) },
]
