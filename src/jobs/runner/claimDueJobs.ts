import { sql } from '@payloadcms/db-postgres'
import type { Payload } from 'payload'

import { getExecutorOutsideTransaction } from '../../../plugins/payloadInternals'
import type { JobId } from './jobRunner'

type ClaimArgs = { payload: Payload; queue: string; limit: number }

/**
 * Marks up to `limit` due jobs of a queue as processing and returns their ids, in one statement.
 *
 * Payload's own runner reads the due jobs, then updates them one by one: two replicas that read
 * at the same moment both run the same job (a scheduled publish twice, an import twice). Here the
 * rows are locked as they are read (`FOR UPDATE SKIP LOCKED`), so a concurrent claim skips them,
 * and one that reads them after the commit finds them processing. Due means by the database's
 * clock, the one every replica shares. Runs outside any transaction: the claim commits at once.
 */
export const claimDueJobs = async ({ payload, queue, limit }: ClaimArgs): Promise<JobId[]> => {
  if (limit <= 0) return []
  const result = await getExecutorOutsideTransaction(payload).execute(sql`
    UPDATE payload_jobs SET processing = true, updated_at = now()
    WHERE id IN (
      SELECT id FROM payload_jobs
      WHERE queue = ${queue}
        AND processing IS NOT TRUE
        AND completed_at IS NULL
        AND has_error IS NOT TRUE
        AND (wait_until IS NULL OR wait_until <= now())
      ORDER BY created_at, id
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING id`)
  return result.rows.map((row) => row.id as JobId)
}
