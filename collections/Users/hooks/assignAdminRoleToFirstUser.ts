import type { CollectionBeforeChangeHook } from 'payload'

import { collectionSlugs, type UserRole } from '../../slugs'

/** The role of the first account ever created, whatever its form or request asked for. */
export const firstUserRole: UserRole = 'admin'

/** The first account ever created must be able to manage the others, so it becomes an admin. */
export const assignAdminRoleToFirstUser: CollectionBeforeChangeHook = async ({
  data,
  operation,
  req,
}) => {
  if (operation !== 'create') return data
  const { totalDocs } = await req.payload.count({ collection: collectionSlugs.users, req })
  return totalDocs === 0 ? { ...data, role: firstUserRole } : data
}
