import type {
  CollectionAfterChangeHook,
  CollectionAfterDeleteHook,
  CollectionAfterErrorHook,
  CollectionAfterLoginHook,
  CollectionAfterLogoutHook,
  CollectionAfterOperationHook,
  GlobalAfterChangeHook,
  PayloadRequest,
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
    if (changes.length === 0) return doc
    await writeAuditEntry(context, req, {
      action: hookContext?.isRestoringVersion
        ? 'restore'
        : classifyUpdate(changes, previousDoc as Doc, doc as Doc),
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

export const getAuditAfterLoginHook =
  (context: AuditContext): CollectionAfterLoginHook =>
  async ({ collection, req, user }) => {
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

/**
 * Failed logins never reach a success hook; the REST error path does. Recorded outside the failed
 * request's transaction (which has been rolled back), with the attempted email and never the password.
 */
export const getAuditLoginFailedHook =
  (context: AuditContext): CollectionAfterErrorHook =>
  async ({ collection, error, req }) => {
    const isLogin = req.url
      ? new URL(req.url, 'http://localhost').pathname.endsWith(`/${collection.slug}/login`)
      : false
    const status = (error as { status?: number }).status
    if (!isLogin || (status !== 401 && status !== 423)) return
    const email = (req.data as Doc | undefined)?.email
    await writeAuditEntry(
      context,
      req,
      {
        action: 'login-failed',
        collection: collection.slug,
        actor: { email: typeof email === 'string' ? email.slice(0, 320) : undefined },
        changes: { reason: status === 423 ? 'locked' : 'invalid credentials' },
      },
      false,
    ).catch((auditError: unknown) =>
      req.payload.logger.error({ err: auditError, msg: 'Could not record a failed login' }),
    )
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
