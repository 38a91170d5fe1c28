import type {
  AfterErrorHook,
  CollectionAfterLoginHook,
  CollectionAfterLogoutHook,
  CollectionAfterOperationHook,
  CollectionBeforeOperationHook,
  PayloadRequest,
  Where,
} from 'payload'

import type { AuditContext } from '../types'
import type { Doc } from '../utilities/classifyUpdate'
import { isAuditDisabled, writeAuditEntry } from '../utilities/writeAuditEntry'

/**
 * Logins in progress in this request, oldest first. A symbol key: `req.context` is the one object
 * the login operation and the error hooks share (GraphQL hands operations a proxy of the request),
 * and symbol keys are never serialised.
 */
const pendingLoginsKey = Symbol('auditPendingLogins')

type PendingLogin = { collection: string; account?: string }

const pendingLoginsOf = (req: PayloadRequest): PendingLogin[] => {
  const requestContext = req.context as Record<PropertyKey, unknown>
  const pending = requestContext[pendingLoginsKey] as PendingLogin[] | undefined
  if (pending) return pending
  const created: PendingLogin[] = []
  requestContext[pendingLoginsKey] = created
  return created
}

const describeAccount = (data: unknown): string | undefined => {
  const { email, username } = (data ?? {}) as { email?: unknown; username?: unknown }
  const account = email ?? username
  return typeof account === 'string' ? account.slice(0, 320) : undefined
}

/**
 * Notes each REST or GraphQL login as it starts, with the account it names, so that its failure
 * can be recorded: a failed login reaches no collection hook, only the error hooks.
 */
export const getAuditLoginAttemptHook =
  (): CollectionBeforeOperationHook =>
  ({ args, collection, operation, req }) => {
    if (operation === 'login' && req.payloadAPI !== 'local') {
      const data = (args as { data?: unknown }).data
      pendingLoginsOf(req).push({ collection: collection.slug, account: describeAccount(data) })
    }
    return args
  }

export const getAuditAfterLoginHook =
  (context: AuditContext): CollectionAfterLoginHook =>
  async ({ collection, req, user }) => {
    const pending = pendingLoginsOf(req)
    const index = pending.findIndex((login) => login.collection === collection.slug)
    if (index >= 0) pending.splice(index, 1)
    await writeAuditEntry(context, req, {
      action: 'login',
      collection: collection.slug,
      documentId: user.id,
      actor: user,
    })
    return user
  }

export const getAuditAfterLogoutHook =
  (context: AuditContext): CollectionAfterLogoutHook =>
  async ({ collection, req }) => {
    await writeAuditEntry(context, req, {
      action: 'logout',
      collection: collection.slug,
      documentId: req.user?.id,
    })
  }

/** REST hands error hooks the APIError; GraphQL a GraphQLError wrapping it. */
const statusOf = (error: unknown): number | undefined => {
  const { status, originalError } = error as { status?: unknown; originalError?: unknown }
  if (typeof status === 'number') return status
  const wrapped = (originalError as { status?: unknown } | undefined)?.status
  return typeof wrapped === 'number' ? wrapped : undefined
}

/** Payload refuses a locked account with its `LockedAuth` error (a 401 since Payload 3). */
const isLockedAccount = (error: unknown, status: number) => {
  const { name, originalError } = error as { name?: unknown; originalError?: { name?: unknown } }
  return status === 423 || name === 'LockedAuth' || originalError?.name === 'LockedAuth'
}

/**
 * Failed logins never reach a success hook; REST and GraphQL both pass the error to the config's
 * error hooks. A wrong password or second factor (401) or a locked account of a login this request
 * started is recorded outside the failed request's transaction (which has been rolled back), with
 * the attempted account and never the password.
 */
export const getAuditLoginFailedHook =
  (context: AuditContext): AfterErrorHook =>
  async ({ error, req }) => {
    const status = statusOf(error)
    if (status !== 401 && status !== 423) return
    if (!req?.context) return
    const login = pendingLoginsOf(req).shift()
    if (!login) return
    await writeAuditEntry(
      context,
      req,
      {
        action: 'login-failed',
        collection: login.collection,
        actor: { email: login.account },
        changes: { reason: isLockedAccount(error, status) ? 'locked' : 'invalid credentials' },
      },
      false,
    ).catch((auditError: unknown) =>
      req.payload.logger.error({ err: auditError, msg: 'Could not record a failed login' }),
    )
  }

/** An account unlocked after failed logins, by whom (the signed-in user, or server code). */
export const getAuditUnlockHook =
  (context: AuditContext): CollectionAfterOperationHook =>
  async ({ args, collection, operation, req, result }) => {
    if (operation !== 'unlock' || !result || isAuditDisabled(req)) return result
    const { email, username } = ((args as { data?: unknown }).data ?? {}) as Doc
    const where: Where =
      typeof email === 'string' && email
        ? { email: { equals: email.toLowerCase().trim() } }
        : {
            username: {
              equals: String(username ?? '')
                .toLowerCase()
                .trim(),
            },
          }
    const account = await req.payload.db.findOne<{ id: number | string }>({
      collection: collection.slug,
      where,
      select: { id: true },
      req,
    })
    await writeAuditEntry(context, req, {
      action: 'unlock',
      collection: collection.slug,
      documentId: account?.id,
    })
    return result
  }
