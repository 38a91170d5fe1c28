import type { CollectionConfig } from 'payload'

import { getTwoFactorEndpoints } from '../endpoints'
import { twoFactorFields } from '../fields/twoFactorFields'
import { getRememberSubmittedCodeHook } from '../hooks/rememberSubmittedCode'
import { getVerifySecondFactorOnLoginHook } from '../hooks/verifySecondFactorOnLogin'
import type { SanitizedTwoFactorOptions } from '../types'

/** The auth collection with the plugin's fields, and (unless disabled) endpoints and login check. */
export const withTwoFactor = (
  collection: CollectionConfig,
  options: SanitizedTwoFactorOptions,
): CollectionConfig => {
  // Fields stay when the plugin is disabled, so the schema (and migrations) do not change.
  const fields = [...collection.fields, ...twoFactorFields]
  if (options.disabled) return { ...collection, fields }
  return {
    ...collection,
    fields,
    endpoints: [...(collection.endpoints || []), ...getTwoFactorEndpoints(options)],
    hooks: {
      ...collection.hooks,
      beforeOperation: [
        ...(collection.hooks?.beforeOperation ?? []),
        getRememberSubmittedCodeHook(),
      ],
      beforeLogin: [
        ...(collection.hooks?.beforeLogin ?? []),
        getVerifySecondFactorOnLoginHook({ options }),
      ],
    },
  }
}
