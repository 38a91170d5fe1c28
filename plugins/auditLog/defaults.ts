export const defaultAuditSlug = 'audit-logs'
export const defaultRetentionDays = 365
/** Every 6 hours, at minute 17 (off the hour, when many other schedules fire). */
export const defaultRetentionSchedule = '17 */6 * * *'
/** Slug of the Payload job task that prunes the log, and the queue it runs on. */
export const retentionTaskSlug = 'auditLogRetention'
export const retentionQueue = 'audit-log-retention'
/** How often Payload's autoRun looks for due schedules and runs the retention queue. */
export const retentionAutoRunCron = '*/5 * * * *'

/**
 * Field names that never reach an audit row, at any depth: those Payload's own auth and API keys
 * keep secret. Fields an app or another plugin adds (e.g. two-factor secrets) come in through
 * the `redactFields` option.
 */
export const alwaysRedactedFields = [
  'password',
  'confirm-password',
  'hash',
  'salt',
  'resetPasswordToken',
  'resetPasswordExpiration',
  '_verificationToken',
  'apiKey',
  'apiKeyIndex',
  'enableAPIKey',
  'sessions',
  'loginAttempts',
  'lockUntil',
]

export const auditActions = [
  'create',
  'update',
  'delete',
  'restore',
  'publish',
  'unpublish',
  'login',
  'login-failed',
  'logout',
  'password-change',
  'role-change',
  'read',
  // Appended, not sorted in: PostgreSQL adds enum values at the end.
  'draft-save',
  'unlock',
] as const

export type AuditAction = (typeof auditActions)[number]
