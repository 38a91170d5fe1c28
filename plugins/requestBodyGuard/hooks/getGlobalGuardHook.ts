import type { GlobalBeforeOperationHook, GlobalConfig } from 'payload'

import type { SanitizedRequestBodyGuardOptions } from '../types'
import { guardData } from './guardData'

type GetGlobalGuardHookArgs = {
  global: GlobalConfig
  options: SanitizedRequestBodyGuardOptions
}

export const getGlobalGuardHook =
  ({ global, options }: GetGlobalGuardHookArgs): GlobalBeforeOperationHook =>
  async ({ args, global: sanitized, operation, overrideAccess, req }) => {
    if (operation !== 'update') return args
    await guardData({
      data: args?.data,
      entity: { global: global.slug },
      fields: sanitized.flattenedFields,
      options,
      overrideAccess,
      req,
    })
    return args
  }
