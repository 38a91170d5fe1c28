import type { Access, CollectionSlug, FieldAccess, GlobalSlug, PayloadRequest } from 'payload'

import type { AuditAction } from './defaults'

export type { AuditAction } from './defaults'

/** Options of `auditLogPlugin`. */
export type AuditLogPluginOptions = {
  /**
   * Turn the audit log off. The collection stays in the schema so migrations do not drift.
   * @default false
   */
  disabled?: boolean
  /**
   * Slug of the audit collection.
   * @default 'audit-logs'
   */
  slug?: string
  /**
   * Collections whose mutations (and, for auth collections, sign-ins) are recorded.
   * @default every collection in the config when the plugin runs
   */
  collections?: CollectionSlug[]
  /**
   * Globals whose updates are recorded.
   * @default every global in the config when the plugin runs
   */
  globals?: GlobalSlug[]
  /**
   * Extra field names whose values never reach an audit row (matched at any depth), e.g. secrets
   * your own fields or other plugins add. Payload's auth secrets (password, hash, salt, tokens,
   * API keys, sessions, login counters) are always redacted.
   * @default []
   */
  redactFields?: string[]
  /**
   * Rows older than this are deleted by a scheduled Payload job.
   * @default 365
   */
  retentionDays?: number
  /**
   * Cron expression for the retention job, run by Payload's jobs `autoRun` on the
   * `audit-log-retention` queue. `false`: no schedule (prune with `pruneAuditLogs` yourself).
   * @default '17 *\/6 * * *' (every 6 hours)
   */
  retentionSchedule?: string | false
  /**
   * Whether this process runs the retention queue, and queues the next run when one is due.
   * `false` on processes that run no jobs (scripts, replicas kept off jobs): Payload's schedule
   * handling queues jobs on every process that has autoRun crons, whatever `shouldAutoRun` says.
   * The task and its schedule stay in the config either way, so the schema does not change.
   * @default true
   */
  runsRetentionHere?: boolean
  /**
   * Also record reads (`find`, `findByID`) of these collections, for sensitive data.
   * @default []
   */
  recordReadsOf?: CollectionSlug[]
  /**
   * Who may read the audit log (in the admin and the APIs). Nobody can create, change or delete rows.
   * @default any logged-in user
   */
  readAccess?: Access
  /**
   * Field-level read access for the actor and network fields (email, IP, user agent).
   * @default the collection's read access
   */
  personalDataAccess?: FieldAccess
  /**
   * The client's IP address for a request. Only your deployment knows which proxy headers (if
   * any) to trust, so the plugin trusts none: without this option rows have no IP.
   * @default () => undefined
   */
  getClientIp?: (req: PayloadRequest) => string | undefined
  /**
   * Called after each audit row is written, e.g. to count them in metrics.
   * @default undefined
   */
  onWrite?: (action: AuditAction) => void
}

/** What the hooks need, with every default applied once by the factory. */
export type AuditContext = {
  auditSlug: string
  redactedFields: ReadonlySet<string>
  getClientIp: (req: PayloadRequest) => string | undefined
  onWrite?: (action: AuditAction) => void
}
