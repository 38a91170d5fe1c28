import type { AuditLogPluginOptions } from '../../plugins/auditLog'
import { isAdmin, isAdminField } from './access'
import type { AppEnv } from './env'
import { getAppMetrics } from '../server/observability/metrics'
import { clientIpHeader } from '../server/observability/requestId'

/** The two-factor plugin's secrets on users: never in an audit row. */
const twoFactorSecretFields = ['totpSecret', 'totpLastTimeStep', 'backupCodes']

/** How this app uses the audit log: who reads it, what it hides, how long it keeps rows. */
export const getAuditLogOptions = (
  env: Pick<AppEnv, 'AUDIT_RETENTION_DAYS' | 'JOBS_AUTORUN'>,
): AuditLogPluginOptions => {
  const metrics = getAppMetrics()
  return {
    readAccess: isAdmin,
    personalDataAccess: isAdminField,
    redactFields: twoFactorSecretFields,
    retentionDays: env.AUDIT_RETENTION_DAYS,
    // Replicas that run no jobs (JOBS_AUTORUN=false) neither prune nor queue the next pruning.
    runsRetentionHere: env.JOBS_AUTORUN,
    // Set by our HTTP server from the socket (or trusted proxy headers), never taken from the client.
    getClientIp: (req) => req.headers?.get(clientIpHeader) ?? undefined,
    onWrite: (action) => metrics.auditRowsWritten.inc({ action }),
  }
}
