import type { Config, Plugin } from 'payload'

import { twoFactorViewPath } from './components/paths'

import { gateCollectionAccess, gateGlobalAccess } from './enrolmentGate'
import { countFailedSecondFactor, twoFactorCodeHeader } from './loginCheck'
import { twoFactorSettingsKey, type TwoFactorSettings } from './settings'

const componentsDir = '/plugins/twoFactor/components'

/**
 * Lets the origins in `cors` send the code header too (GraphQL's login takes the code only there):
 * without it in Access-Control-Allow-Headers, a browser on a partner site never sends the request.
 * No `cors` means no cross-origin calls at all, and stays so.
 */
const withCodeHeaderAllowed = (cors: Config['cors']): Config['cors'] => {
  if (!cors) return cors
  if (typeof cors === 'object' && !Array.isArray(cors)) {
    return { ...cors, headers: [...(cors.headers ?? []), twoFactorCodeHeader] }
  }
  return { origins: cors, headers: [twoFactorCodeHeader] }
}

/**
 * Everything about two-factor authentication that reaches beyond the users collection (which
 * holds the fields, endpoints and login check itself): counting failed codes towards Payload's
 * lockout, the admin panel's login form and enrolment view, and — with `isRequiredForAdmins` —
 * the gate that leaves admins without a second factor nothing to do but enrol.
 */
export const twoFactorPlugin =
  (settings: TwoFactorSettings): Plugin =>
  (config) => {
    const usersSlug = config.admin?.user ?? 'users'
    const gate = { isRequiredForAdmins: settings.isRequiredForAdmins, usersSlug }
    return {
      ...config,
      cors: withCodeHeaderAllowed(config.cors),
      collections: settings.isRequiredForAdmins
        ? config.collections?.map((collection) => gateCollectionAccess(collection, gate))
        : config.collections,
      globals: settings.isRequiredForAdmins
        ? config.globals?.map((global) => gateGlobalAccess(global, gate))
        : config.globals,
      admin: {
        ...config.admin,
        // Read back with getTwoFactorSettings on the server and readTwoFactorSettings in the panel.
        custom: { ...config.admin?.custom, [twoFactorSettingsKey]: settings },
        components: {
          ...config.admin?.components,
          providers: [
            ...(config.admin?.components?.providers ?? []),
            `${componentsDir}/EnrolmentRedirect#EnrolmentRedirect`,
          ],
          views: {
            ...config.admin?.components?.views,
            // Payload's login form sends email and password only; this one asks for the code
            // when the server answers that the account needs it.
            login: { Component: `${componentsDir}/LoginView#LoginView`, path: '/login' },
            twoFactor: {
              Component: `${componentsDir}/EnrolmentView#EnrolmentView`,
              path: twoFactorViewPath,
              exact: true,
            },
          },
        },
      },
      hooks: {
        ...config.hooks,
        afterError: [...(config.hooks?.afterError ?? []), countFailedSecondFactor],
      },
    }
  }
