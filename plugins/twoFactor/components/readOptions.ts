import type { Payload } from 'payload'

import { twoFactorOptionsKey } from '../defaults'
import type { SanitizedTwoFactorOptions } from '../types'

/** The plugin's options as it left them in the config, for the admin's server components. */
export const readTwoFactorOptions = (payload: Payload): SanitizedTwoFactorOptions =>
  payload.config.custom?.[twoFactorOptionsKey] as SanitizedTwoFactorOptions
