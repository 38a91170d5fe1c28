import type { CollectionConfig, Plugin } from 'payload'

import {
  getForgotPasswordEndpoint,
  withEqualTimeForgotPasswordMutations,
} from './forgotPasswordTiming'
import { equalLoginTiming } from './loginTiming'

const withEqualTiming = (collection: CollectionConfig): CollectionConfig =>
  collection.auth
    ? {
        ...collection,
        hooks: {
          ...collection.hooks,
          beforeOperation: [...(collection.hooks?.beforeOperation ?? []), equalLoginTiming],
        },
        // First, so that it answers instead of Payload's own endpoint of the same path.
        endpoints: [getForgotPasswordEndpoint(collection.slug), ...(collection.endpoints || [])],
      }
    : collection

/**
 * Sign-in answers that take as long whether or not the account exists, over REST and GraphQL:
 * a login for an unknown email still checks a password (against a stand-in hash), and
 * forgot-password answers after a common floor. Without it the same 401, or the same 200, told
 * anyone timing it which emails have accounts.
 */
export const signInTimingPlugin = (): Plugin => (config) => ({
  ...config,
  collections: config.collections?.map(withEqualTiming),
  graphQL: {
    ...config.graphQL,
    mutations: withEqualTimeForgotPasswordMutations(config.graphQL?.mutations),
  },
})
