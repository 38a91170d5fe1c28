import type {
  AfterErrorHook,
  CollectionAfterChangeHook,
  CollectionAfterDeleteHook,
  CollectionAfterLoginHook,
  CollectionAfterLogoutHook,
  CollectionAfterOperationHook,
  CollectionBeforeChangeHook,
  CollectionBeforeOperationHook,
  CollectionConfig,
  CollectionSlug,
  GlobalAfterChangeHook,
  PayloadRequest,
  Where,
} from 'payload'

import type { AuditAction } from '../defaults'
import { diffDocuments, redactDocument, type FieldChange } from '../utilities/redact'

export type AuditContext = {
  auditSlug: string
  redactedFields: ReadonlySet<string>
  getClientIp: (req: PayloadRequest) => string | undefined
  onWrite?: (action: AuditAction) => void
}

type AuditEntry = {
  action: AuditAction
  collection?: string
  global?: string
  documentId?: number | string
  changes?: unknown
  actor?: { id?: number | string; email?: string; role?: string } | null
}

/** Seeds, migrations and bulk jobs may opt out: `context: { disableAudit: true }`. */
const isAuditDisabled = (req: PayloadRequest, context?: Record<string, unknown>) =>
  Boolean(context?.disableAudit ?? req.context?.disableAudit)

const describeActor = (user: PayloadRequest['user'] | AuditEntry['actor']) => {
  if (!user) return {}
  const record = user as { id?: number | string; email?: string; role?: string }
  return {
    actorId: record.id === undefined ? undefined : String(record.id),
    actorEmail: record.email,
    actorRole: record.role === undefined ? undefined : String(record.role),
  }
}

/**
 * Writes one audit row in the request's transaction (`req` is passed on): if the row cannot be
 * written, the change it describes fails with it.
 */
export const writeAuditEntry = async (
  context: AuditContext,
  req: PayloadRequest,
  entry: AuditEntry,
  useTransaction = true,
) => {
  const target = entry.collection ?? entry.global ?? ''
  await req.payload.create({
    collection: context.auditSlug as 'users',
    data: {
      summary: `${entry.action} ${target}${entry.documentId === undefined ? '' : ` #${entry.documentId}`}`,
      action: entry.action,
      collection: entry.collection,
      global: entry.global,
      documentId: entry.documentId === undefined ? undefined : String(entry.documentId),
      ...describeActor(entry.actor === undefined ? req.user : entry.actor),
      ip: context.getClientIp(req),
      userAgent: req.headers?.get('user-agent')?.slice(0, 500) ?? undefined,
      requestId: req.headers?.get('x-request-id') ?? undefined,
      changes: entry.changes,
    } as never,
    overrideAccess: true,
    ...(useTransaction ? { req } : {}),
    context: { isAuditWrite: true },
  })
  context.onWrite?.(entry.action)
}

type Doc = Record<string, unknown>

/** Which action an update is: a password or role change, a (un)publish, or a plain update. */
export const classifyUpdate = (
  changes: FieldChange[],
  previous: Doc | undefined,
  next: Doc,
): AuditAction => {
  const changed = new Set(changes.map((change) => change.path.split('.')[0]))
  if (changed.has('password')) return 'password-change'
  if (changed.has('role') || changed.has('roles')) return 'role-change'
  if (previous?._status !== 'published' && next._status === 'published') return 'publish'
  if (previous?._status === 'published' && next._status === 'draft') return 'unpublish'
  return 'update'
}

const hasDrafts = (collection: CollectionConfig) =>
  typeof collection.versions === 'object' && Boolean(collection.versions.drafts)

/**
 * The status of the document readers get. Saving a draft writes only a new version and leaves it
 * as it was; an unpublish changes it. The documents the change hooks are given cannot tell these
 * apart: both end in `_status: 'draft'`, and the "previous" one is the latest version, which may
 * itself be a draft while the published document is live.
 */
const readLiveStatus = async (
  req: PayloadRequest,
  collection: CollectionConfig,
  id: number | string,
): Promise<unknown> => {
  const stored = await req.payload.db.findOne<{ id: number | string; _status?: string | null }>({
    collection: collection.slug as CollectionSlug,
    where: { id: { equals: id } },
    select: { _status: true },
    req,
  })
  return stored?._status
}

/** Live statuses read before changes of this request, by `<collection>:<id>`; a symbol key. */
const liveStatusesKey = Symbol('auditLiveStatuses')

const liveStatusesOf = (req: PayloadRequest): Map<string, unknown> => {
  const requestContext = req.context as Record<PropertyKey, unknown>
  const statuses = requestContext[liveStatusesKey] as Map<string, unknown> | undefined
  if (statuses) return statuses
  const created = new Map<string, unknown>()
  requestContext[liveStatusesKey] = created
  return created
}

/** Notes, for collections with drafts, whether the document was live before the change. */
export const getAuditBeforeChangeHook =
  (): CollectionBeforeChangeHook =>
  async ({ collection, context: hookContext, data, operation, originalDoc, req }) => {
    const id = (originalDoc as Doc | undefined)?.id as number | string | undefined
    if (operation !== 'update' || id === undefined || !hasDrafts(collection)) return data
    if (isAuditDisabled(req, hookContext)) return data
    liveStatusesOf(req).set(`${collection.slug}:${id}`, await readLiveStatus(req, collection, id))
    return data
  }

/**
 * For collections with drafts, what happened to the live document decides: it went from published
 * to draft (unpublish), or stayed published while a draft was saved (draft-save). Otherwise, and
 * for other collections, the documents' fields do.
 */
const classifyCollectionUpdate = async ({
  collection,
  changes,
  previousDoc,
  doc,
  req,
}: {
  collection: CollectionConfig
  changes: FieldChange[]
  previousDoc: Doc | undefined
  doc: Doc
  req: PayloadRequest
}): Promise<AuditAction> => {
  const action = classifyUpdate(changes, previousDoc, doc)
  const key = `${collection.slug}:${String(doc.id)}`
  const statuses = liveStatusesOf(req)
  if (!hasDrafts(collection) || !statuses.has(key)) return action
  const wasLive = statuses.get(key) === 'published'
  statuses.delete(key)
  const isLive = (await readLiveStatus(req, collection, doc.id as number | string)) === 'published'
  if (wasLive && !isLive) return 'unpublish'
  if (wasLive && doc._status === 'draft') return 'draft-save'
  return action
}

const unpublished: FieldChange = { path: '_status', before: 'published', after: 'draft' }

export const getAuditAfterChangeHook =
  (context: AuditContext): CollectionAfterChangeHook =>
  async ({ collection, doc, previousDoc, operation, req, context: hookContext }) => {
    if (isAuditDisabled(req, hookContext)) return doc
    const after = redactDocument(doc, context.redactedFields)
    if (operation === 'create') {
      await writeAuditEntry(context, req, {
        action: doc._status === 'published' ? 'publish' : 'create',
        collection: collection.slug,
        documentId: doc.id,
        changes: { snapshot: after },
      })
      return doc
    }
    const changes = diffDocuments(redactDocument(previousDoc, context.redactedFields), after)
    // Payload hashes a new password into `hash`/`salt`, which are hidden from hooks: the request says it.
    const isPasswordChange = typeof (req.data as Doc | undefined)?.password === 'string'
    if (isPasswordChange)
      changes.push({ path: 'password', before: '[redacted]', after: '[redacted]' })
    const action = hookContext?.isRestoringVersion
      ? 'restore'
      : await classifyCollectionUpdate({
          collection,
          changes,
          previousDoc: previousDoc as Doc | undefined,
          doc: doc as Doc,
          req,
        })
    // Unpublishing a document whose latest version is already a draft changes no field of it.
    if (action === 'unpublish' && !changes.some((change) => change.path === '_status')) {
      changes.push(unpublished)
    }
    if (changes.length === 0) return doc
    await writeAuditEntry(context, req, {
      action,
      collection: collection.slug,
      documentId: doc.id,
      changes: { fields: changes },
    })
    return doc
  }

export const getAuditAfterDeleteHook =
  (context: AuditContext): CollectionAfterDeleteHook =>
  async ({ collection, doc, id, req, context: hookContext }) => {
    if (isAuditDisabled(req, hookContext)) return doc
    await writeAuditEntry(context, req, {
      action: 'delete',
      collection: collection.slug,
      documentId: id,
      changes: { snapshot: redactDocument(doc, context.redactedFields) },
    })
    return doc
  }

export const getAuditGlobalAfterChangeHook =
  (context: AuditContext): GlobalAfterChangeHook =>
  async ({ global, doc, previousDoc, req, context: hookContext }) => {
    if (isAuditDisabled(req, hookContext)) return doc
    const changes = diffDocuments(
      redactDocument(previousDoc, context.redactedFields),
      redactDocument(doc, context.redactedFields),
    )
    if (changes.length === 0) return doc
    await writeAuditEntry(context, req, {
      action: classifyUpdate(changes, previousDoc as Doc, doc as Doc),
      global: global.slug,
      changes: { fields: changes },
    })
    return doc
  }

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

export const getAuditReadHook =
  (context: AuditContext): CollectionAfterOperationHook =>
  async ({ collection, operation, req, result }) => {
    if ((operation === 'find' || operation === 'findByID') && !isAuditDisabled(req)) {
      const id =
        operation === 'findByID' ? (result as { id?: number | string } | undefined)?.id : undefined
      await writeAuditEntry(context, req, {
        action: 'read',
        collection: collection.slug,
        documentId: id,
      })
    }
    return result
  }
