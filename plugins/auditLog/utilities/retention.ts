import { sql } from '@payloadcms/db-postgres'
import {
  commitTransaction,
  createLocalReq,
  initTransaction,
  killTransaction,
  type CollectionSlug,
  type Payload,
} from 'payload'

import { getTransactionExecutor } from '../../payloadInternals'

const retentionLockKey = 'payload-ops-audit-retention'

type PruneArgs = { payload: Payload; auditSlug: string; retentionDays: number; now?: Date }

/**
 * Deletes audit rows older than the retention period. Guarded by a transaction-scoped advisory
 * lock, so when several replicas (or a replica and an operator's manual run) prune at once only
 * one does the work; Payload's job queue does not promise that on its own (two replicas' autoRun
 * crons can pick up jobs concurrently). Returns whether this call did the pruning.
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
    const executor = await getTransactionExecutor(req)
    const lock = await executor?.execute(
      sql`SELECT pg_try_advisory_xact_lock(hashtext(${retentionLockKey})) AS locked`,
    )
    if (executor && !lock?.rows[0]?.locked) {
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
