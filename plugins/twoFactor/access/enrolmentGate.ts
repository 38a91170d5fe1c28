import type { Access, AccessArgs, CollectionConfig, GlobalConfig, PayloadRequest } from 'payload'

import { TwoFactorEnrolmentRequiredError } from '../errors'
import { twoFactorViewPath } from '../components/paths'
import type { SanitizedTwoFactorOptions } from '../types'
import { isAwaitingTwoFactorEnrolment } from '../utilities/requirement'

type GateOptions = Pick<SanitizedTwoFactorOptions, 'collection' | 'isAdmin' | 'isRequiredForAdmins'>

/** Payload's own rule for an operation left unset: any signed-in user. */
const isSignedIn: Access = ({ req }) => Boolean(req.user)

const enrolmentRequiredError = (req: PayloadRequest, options: GateOptions) => {
  const { routes } = req.payload.config
  return new TwoFactorEnrolmentRequiredError({
    adminViewUrl: `${routes.admin}${twoFactorViewPath}`,
    apiUrl: `${routes.api}/${options.collection}`,
  })
}

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
    throw enrolmentRequiredError(args.req, options)
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
        const access = collection.access?.[operation] ?? isSignedIn
        const gated =
          collection.slug === options.collection && operation === 'read'
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
        denyWhileAwaitingEnrolment(global.access?.[operation] ?? isSignedIn, options),
      ]),
    ),
  },
})
