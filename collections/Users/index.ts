import type { CollectionConfig, Field } from 'payload'

import { authenticated, isAdmin, isAdminField, isAdminOrSelf } from '../../src/config/access'
import { collectionSlugs, userRoles } from '../slugs'
import { assignAdminRoleToFirstUser } from './hooks/assignAdminRoleToFirstUser'
import { keepLastAdminOnDelete, keepLastAdminOnUpdate } from './hooks/keepLastAdmin'

/**
 * The two fields of Payload's lockout, declared as Payload declares them while it is on: turning it
 * off drops them from the schema, and the previous release still reads and writes their columns.
 */
const retainedLockoutFields: Field[] = [
  {
    name: 'loginAttempts',
    type: 'number',
    defaultValue: 0,
    hidden: true,
    access: { create: () => false, update: () => false },
  },
  {
    name: 'lockUntil',
    type: 'date',
    hidden: true,
    access: { create: () => false, update: () => false },
  },
]

export const Users: CollectionConfig = {
  slug: collectionSlugs.users,
  admin: {
    useAsTitle: 'email',
    defaultColumns: ['email', 'name', 'role'],
  },
  auth: {
    // Off: Payload's lockout counts failures per account from every address, so anyone could lock
    // anyone out. The login rate limits count per account and address instead (docs/SECURITY.md).
    maxLoginAttempts: 0,
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
  },
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
        // The create-first-user form shows the role that account gets: admin, not this default.
        components: { Field: '/collections/Users/components/RoleField#RoleField' },
      },
    },
    ...retainedLockoutFields,
  ],
  timestamps: true,
}
