export const defaultAuditSlug = 'audit-logs'
export const defaultRetentionDays = 365
export const defaultTtlSeconds = 60
export const defaultStaleGraceSeconds = 10
export const defaultChannel = 'payload_ops_invalidate'
/** More changes than this between two builds make the next one a full build: it is cheaper then. */
export const maxPendingChanges = 1000
export const defaultCacheControl = 'public, max-age=0, s-maxage=60, stale-while-revalidate=300'
/** How often each replica tries to prune the audit log; one replica at a time does the work. */
export const retentionIntervalMs = 6 * 60 * 60 * 1000

/** Field names that never reach an audit row, at any depth. */
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
  'totpSecret',
  'totpLastTimeStep',
  'backupCodes',
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
