import { sql } from '@payloadcms/db-postgres'
import {
  APIError,
  type CollectionBeforeChangeHook,
  type CollectionBeforeDeleteHook,
  type PayloadRequest,
} from 'payload'

import { getTransactionExecutor } from '../../../plugins/payloadInternals'
import { collectionSlugs, type UserRole } from '../../slugs'

const adminRole: UserRole = 'admin'

export const lastAdminMessage =
  'This is the last admin account. Make another user an admin before demoting or deleting this one.'

/** 409: the request is fine, the current state of the users does not allow it. */
export class LastAdminError extends APIError {
  constructor() {
    super(lastAdminMessage, 409, null, true)
    // Explicit: the production build leaves class names empty or mangled (src/config/errors/publicApiError.ts).
    this.name = 'LastAdminError'
  }
}

/** Any constant works; it only has to be the same in every replica. */
const adminRemovalLockKey = 'catalog-cms:last-admin'

/**
 * Two admins demoting each other at the same moment would each count the other as remaining, and
 * both succeed. A transaction-scoped advisory lock makes the second transaction wait until the
 * first commits; PostgreSQL gives its next statement a fresh snapshot, so its count sees the first
 * change. The lock is released at commit or rollback.
 */
const waitForOtherAdminRemovals = async (req: PayloadRequest): Promise<void> => {
  const transaction = await getTransactionExecutor(req)
  await transaction?.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${adminRemovalLockKey}))`)
}

/**
 * Admins this request has already cleared for demotion or deletion. A bulk update or delete runs
 * the hook for every document in parallel inside one transaction, before any of them is written,
 * so each must also discount the ones cleared before it.
 */
const adminsBeingRemoved = new WeakMap<PayloadRequest, Set<number | string>>()

const assertAnotherAdminRemains = async ({
  req,
  userId,
}: {
  req: PayloadRequest
  userId: number | string
}): Promise<void> => {
  await waitForOtherAdminRemovals(req)
  const removed = adminsBeingRemoved.get(req) ?? new Set<number | string>()
  adminsBeingRemoved.set(req, removed)
  removed.add(userId)
  const { totalDocs } = await req.payload.count({
    collection: collectionSlugs.users,
    where: { role: { equals: adminRole }, id: { not_in: [...removed] } },
    overrideAccess: true,
    req,
  })
  if (totalDocs === 0) {
    removed.delete(userId)
    throw new LastAdminError()
  }
}

/*
 * The rule protects an installation from being locked out by its own users, so it applies to every
 * change made on behalf of a signed-in user: REST, GraphQL, the admin and the Local API with a
 * `user`. Server code acting without a user (maintenance scripts, test cleanup) is trusted, as it is
 * by every access rule; people cannot reach that path, since without a user every rule on the users
 * collection denies.
 */

export const keepLastAdminOnUpdate: CollectionBeforeChangeHook = async ({
  data,
  operation,
  originalDoc,
  req,
}) => {
  if (operation !== 'update' || !req.user || originalDoc?.role !== adminRole) return data
  // Field access has already run: a role the user may not set is back to the stored one here.
  const nextRole: unknown = data.role ?? originalDoc.role
  if (nextRole !== adminRole) await assertAnotherAdminRemains({ req, userId: originalDoc.id })
  return data
}

export const keepLastAdminOnDelete: CollectionBeforeDeleteHook = async ({ id, req }) => {
  if (!req.user) return
  const { totalDocs: isDeletingAnAdmin } = await req.payload.count({
    collection: collectionSlugs.users,
    where: { id: { equals: id }, role: { equals: adminRole } },
    overrideAccess: true,
    req,
  })
  if (isDeletingAnAdmin > 0) await assertAnotherAdminRemains({ req, userId: id })
}
