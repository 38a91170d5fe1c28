import type { CollectionConfig } from 'payload'

import { authenticated, isAdmin, isAdminField, isAdminOrSelf } from '../../src/access'
import { rememberSubmittedCode, verifyTotpForLogin } from '../../src/auth/twoFactor/loginCheck'
import { collectionSlugs, userRoles } from '../slugs'
import { assignAdminRoleToFirstUser } from './hooks/assignAdminRoleToFirstUser'
import { keepLastAdminOnDelete, keepLastAdminOnUpdate } from './hooks/keepLastAdmin'
import { twoFactorEndpoints } from './twoFactor/endpoints'
import { twoFactorFields } from './twoFactor/fields'

export const Users: CollectionConfig = {
  slug: collectionSlugs.users,
  admin: {
    useAsTitle: 'email',
    defaultColumns: ['email', 'name', 'role'],
  },
  auth: {
    // A second layer behind the app's own login rate limits: lock an account after repeated failures.
    maxLoginAttempts: 10,
    lockTime: 10 * 60 * 1000,
  },
  access: {
    admin: authenticated,
    read: isAdminOrSelf,
    create: isAdmin,
    update: isAdminOrSelf,
    delete: isAdmin,
    // Payload's default would let any signed-in user unlock an account locked after failed logins.
    unlock: isAdmin,
  },
  hooks: {
    beforeChange: [assignAdminRoleToFirstUser, keepLastAdminOnUpdate],
    beforeDelete: [keepLastAdminOnDelete],
    beforeOperation: [rememberSubmittedCode],
    beforeLogin: [verifyTotpForLogin],
  },
  endpoints: twoFactorEndpoints,
  fields: [
    {
      name: 'name',
      type: 'text',
      maxLength: 120,
    },
    {
      name: 'role',
      type: 'select',
      required: true,
      defaultValue: 'editor',
      options: userRoles.map((role) => ({
        label: role[0].toUpperCase() + role.slice(1),
        value: role,
      })),
      saveToJWT: true,
      access: {
        create: isAdminField,
        update: isAdminField,
      },
      admin: {
        position: 'sidebar',
        description:
          'Admins manage users; editors manage the catalog. Only admins can change roles.',
      },
    },
    ...twoFactorFields,
  ],
  timestamps: true,
}
