import type { PayloadRequest } from 'payload'

import type { AuditAction } from '../defaults'
import type { AuditContext } from '../types'

export type AuditEntry = {
  action: AuditAction
  collection?: string
  global?: string
  documentId?: number | string
  changes?: unknown
  actor?: { id?: number | string; email?: string; role?: string } | null
}

/** Seeds, migrations and bulk jobs may opt out: `context: { disableAudit: true }`. */
export const isAuditDisabled = (req: PayloadRequest, context?: Record<string, unknown>) =>
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
