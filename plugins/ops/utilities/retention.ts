import { sql } from '@payloadcms/db-postgres'
import {
  commitTransaction,
  createLocalReq,
  initTransaction,
  killTransaction,
  type CollectionSlug,
  type Payload,
} from 'payload'

const retentionLockKey = 'payload-ops-audit-retention'

type PruneArgs = { payload: Payload; auditSlug: string; retentionDays: number; now?: Date }

type PostgresExecutor = { execute: (query: unknown) => Promise<{ rows: { locked: boolean }[] }> }

/**
 * Deletes audit rows older than the retention period. Guarded by a transaction-scoped advisory
 * lock, so when every replica runs it on its timer only one does the work at a time.
 * Returns whether this call did the pruning.
 */
export const pruneAuditLogs = async ({
  payload,
  auditSlug,
  retentionDays,
  now = new Date(),
}: PruneArgs): Promise<boolean> => {
  const req = await createLocalReq({}, payload)
  await initTransaction(req)
  try {
    const db = payload.db as unknown as { sessions?: Record<string, { db: PostgresExecutor }> }
    const session = db.sessions?.[String(await req.transactionID)]
    const lock = await session?.db.execute(
      sql`SELECT pg_try_advisory_xact_lock(hashtext(${retentionLockKey})) AS locked`,
    )
    if (session && !lock?.rows[0]?.locked) {
      await killTransaction(req)
      return false
    }
    const cutoff = new Date(now.getTime() - retentionDays * 24 * 60 * 60 * 1000)
    await payload.db.deleteMany({
      collection: auditSlug as CollectionSlug,
      where: { createdAt: { less_than: cutoff.toISOString() } },
      req,
    })
    await commitTransaction(req)
    return true
  } catch (error) {
    await killTransaction(req)
    throw error
  }
}
