import type { Config } from 'payload'

import { gateCollectionAccess, gateGlobalAccess } from './access/enrolmentGate'
import { withTwoFactor } from './collections/withTwoFactor'
import { withTwoFactorViews } from './components/withTwoFactorViews'
import { sanitizeTwoFactorOptions, twoFactorOptionsKey } from './defaults'
import { getCountFailedSecondFactorHook } from './hooks/countFailedSecondFactor'
import { twoFactorCodeHeader } from './hooks/loginContext'
import type { TwoFactorPluginOptions } from './types'
import { withHeaderAllowed } from './utilities/cors'

/**
 * TOTP two-factor authentication for one auth collection: its fields, the /2fa/* endpoints, the
 * login check, counting failed codes towards Payload's lockout, the admin panel's login form and
 * enrolment view, and — with `isRequiredForAdmins` — the gate that leaves admins without a second
 * factor nothing to do but enrol. Put it last in `plugins`, so the gate covers the collections
 * other plugins add.
 */
export const twoFactorPlugin =
  (pluginOptions: TwoFactorPluginOptions = {}) =>
  (incoming: Config): Config => {
    const options = sanitizeTwoFactorOptions(pluginOptions)
    const collections = incoming.collections?.map((collection) =>
      collection.slug === options.collection ? withTwoFactor(collection, options) : collection,
    )
    if (options.disabled) return { ...incoming, collections }
    const gate = options.isRequiredForAdmins ? options : undefined
    return {
      ...incoming,
      cors: withHeaderAllowed(incoming.cors, twoFactorCodeHeader),
      collections: gate
        ? collections?.map((collection) => gateCollectionAccess(collection, gate))
        : collections,
      globals: gate
        ? incoming.globals?.map((global) => gateGlobalAccess(global, gate))
        : incoming.globals,
      admin: withTwoFactorViews(incoming.admin),
      // Server-only: the admin's server components read the options (functions included) here.
      custom: { ...incoming.custom, [twoFactorOptionsKey]: options },
      hooks: {
        ...incoming.hooks,
        afterError: [...(incoming.hooks?.afterError ?? []), getCountFailedSecondFactorHook()],
      },
    }
  }
