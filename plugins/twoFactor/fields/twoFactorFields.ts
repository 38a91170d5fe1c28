import type { Field, FieldAccess } from 'payload'

import { componentPath } from '../components/paths'

/**
 * Two-factor state changes only through the plugin's /2fa/* endpoints, which write with
 * `overrideAccess`; no create or update through the ordinary collection API can touch it.
 */
const onlyThroughTwoFactorEndpoints: FieldAccess = () => false

const serverOnly = {
  // Hidden fields are left out of every API response, GraphQL type and admin form; the explicit
  // access rules also keep them out should someone ever unhide one.
  hidden: true,
  access: {
    read: onlyThroughTwoFactorEndpoints,
    create: onlyThroughTwoFactorEndpoints,
    update: onlyThroughTwoFactorEndpoints,
  },
} as const

export const twoFactorFields: Field[] = [
  {
    name: 'twoFactorEnabled',
    type: 'checkbox',
    defaultValue: false,
    access: {
      create: onlyThroughTwoFactorEndpoints,
      update: onlyThroughTwoFactorEndpoints,
    },
    admin: {
      position: 'sidebar',
      readOnly: true,
      description: 'Signing in needs a code from an authenticator app.',
      components: {
        afterInput: [componentPath('TwoFactorAccountLink')],
      },
    },
  },
  {
    // The TOTP secret, AES-256-GCM encrypted with a key derived from the app secret. While
    // `twoFactorEnabled` is false it is the pending secret of an enrolment not yet confirmed.
    name: 'totpSecret',
    type: 'text',
    ...serverOnly,
  },
  {
    // The time step of the latest accepted code: older codes are refused even within the clock
    // tolerance. Single use under concurrent logins is guaranteed by the used-codes table, not by this.
    name: 'totpLastTimeStep',
    type: 'number',
    ...serverOnly,
  },
  {
    // JSON array of keyed hashes of the backup codes issued at enrolment. Written once: spent
    // codes (and TOTP time steps) are recorded in their own table, see schema.ts.
    name: 'backupCodes',
    type: 'text',
    ...serverOnly,
  },
]
