import type { Access, AccessArgs, FieldAccess, Where } from 'payload'

import type { UserRole } from '../../collections/slugs'
import { publicApiError } from './errors/publicApiError'

/**
 * Who may do what; docs/SECURITY.md has the table. Every rule is checked on the server for REST,
 * GraphQL, the admin and the Local API with `overrideAccess: false`; the admin only hides what
 * these deny.
 *
 * Roles are checked by name rather than "any signed-in user", so a role added later starts with
 * no rights until a rule names it.
 */

type MaybeUser = { role?: string | null } | null | undefined

const catalogEditingRoles: readonly UserRole[] = ['admin', 'editor']

/** True for a logged-in user whose role is admin. */
export const hasAdminRole = (user: MaybeUser): boolean => user?.role === 'admin'

/** True for a logged-in user whose role lets them change the catalog (editors and admins). */
export const hasCatalogEditingRole = (user: MaybeUser): boolean =>
  catalogEditingRoles.some((role) => role === user?.role)

export const anyone: Access = () => true

/** Typed as returning a boolean so it also fits `access.admin`, which takes no query constraint. */
export const authenticated = ({ req: { user } }: AccessArgs): boolean => Boolean(user)

export const isAdmin: Access = ({ req: { user } }) => hasAdminRole(user)

export const isAdminField: FieldAccess = ({ req: { user } }) => hasAdminRole(user)

/** Fields computed on read (an HTML form of rich text): whatever a client sends is dropped. */
export const nobody: FieldAccess = () => false

/** Categories, items, media and site settings: created, changed and deleted by editors and admins. */
export const isCatalogEditor: Access = ({ req: { user } }) => hasCatalogEditingRole(user)

/** Admins may act on any user; everyone else only on their own account. */
export const isAdminOrSelf: Access = ({ req: { user } }) => {
  if (!user) return false
  if (hasAdminRole(user)) return true
  const ownAccount: Where = { id: { equals: user.id } }
  return ownAccount
}

/**
 * Anonymous readers see published documents only. Asking for drafts (`?draft=true`) changes
 * nothing for them: a reader this rule constrains reads the documents as published, never the
 * version history (plugins/publicQueries/hooks/readerRules.ts). Signed-in users see drafts too.
 */
export const publishedOrAuthenticated: Access = ({ req: { user } }) => {
  if (user) return true
  const publishedOnly: Where = { _status: { equals: 'published' } }
  return publishedOnly
}

/** Jobs over the API: editors and admins may queue this task only (see jobs.ts). */
const queueableTaskSlug = 'schedulePublish'

/**
 * Creating a job in `payload-jobs` over REST or GraphQL: editors and admins, and only a scheduled
 * publish. Another task is refused with a message saying so rather than the generic 403; without
 * data (the admin asking what the user may do) the role alone answers.
 */
export const canQueueScheduledPublish: Access = ({ req: { user }, data }) => {
  if (!hasCatalogEditingRole(user)) return false
  const taskSlug = (data as { taskSlug?: unknown } | undefined)?.taskSlug
  if (data === undefined || taskSlug === queueableTaskSlug) return true
  throw publicApiError({
    name: 'TaskNotQueueableError',
    message: `Only "${queueableTaskSlug}" jobs may be created over the API, not ${JSON.stringify(taskSlug ?? null)}.`,
    status: 403,
  })
}
