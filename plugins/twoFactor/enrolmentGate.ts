import {
  APIError,
  type Access,
  type AccessArgs,
  type CollectionConfig,
  type GlobalConfig,
} from 'payload'

import { authenticated } from '../../src/config/access'

import { isAwaitingTwoFactorEnrolment } from './settings'

const enrolmentRequiredMessage =
  'Admins must turn on two-factor authentication before doing anything else. Set it up in the admin under /admin/two-factor, or with POST /api/users/2fa/setup and POST /api/users/2fa/confirm.'

class TwoFactorEnrolmentRequiredError extends APIError<{ twoFactorEnrolmentRequired: true }> {
  constructor() {
    super(enrolmentRequiredMessage, 403, { twoFactorEnrolmentRequired: true }, true)
    // Explicit: the production build leaves class names empty or mangled (src/config/errors/publicApiError.ts).
    this.name = 'TwoFactorEnrolmentRequiredError'
  }
}

type GateOptions = { isRequiredForAdmins: boolean; usersSlug: string }

/**
 * Denies an admin awaiting enrolment. API clients get a 403 that says what to do; the admin panel
 * (Local API, which also computes permissions and must not throw) just sees no access, and its
 * provider sends the admin to the enrolment view.
 */
const denyWhileAwaitingEnrolment =
  (access: Access, options: GateOptions): Access =>
  (args) => {
    if (!isAwaitingTwoFactorEnrolment({ user: args.req.user, ...options })) return access(args)
    if (args.req.payloadAPI === 'local') return false
    throw new TwoFactorEnrolmentRequiredError()
  }

/** While awaiting enrolment an admin may still read their own account, which the admin needs. */
const ownAccountWhileAwaitingEnrolment =
  (access: Access, options: GateOptions): Access =>
  (args: AccessArgs) =>
    isAwaitingTwoFactorEnrolment({ user: args.req.user, ...options })
      ? { id: { equals: args.req.user?.id } }
      : access(args)

const collectionOperations = [
  'read',
  'create',
  'update',
  'delete',
  'readVersions',
  'unlock',
] as const
const globalOperations = ['read', 'update', 'readVersions'] as const

export const gateCollectionAccess = (
  collection: CollectionConfig,
  options: GateOptions,
): CollectionConfig => ({
  ...collection,
  access: {
    ...collection.access,
    ...Object.fromEntries(
      collectionOperations.map((operation) => {
        // Payload's default for an unset rule is "any logged-in user".
        const access = collection.access?.[operation] ?? authenticated
        const gated =
          collection.slug === options.usersSlug && operation === 'read'
            ? ownAccountWhileAwaitingEnrolment(access, options)
            : denyWhileAwaitingEnrolment(access, options)
        return [operation, gated]
      }),
    ),
  },
})

export const gateGlobalAccess = (global: GlobalConfig, options: GateOptions): GlobalConfig => ({
  ...global,
  access: {
    ...global.access,
    ...Object.fromEntries(
      globalOperations.map((operation) => [
        operation,
        denyWhileAwaitingEnrolment(global.access?.[operation] ?? authenticated, options),
      ]),
    ),
  },
})
