import { sql } from '@payloadcms/db-postgres'
import type { Payload } from 'payload'

import { getExecutorOutsideTransaction } from '../../payloadInternals'
import { usedCodesTable } from '../schema'

/**
 * Written outside the login's transaction on purpose: the insert commits at once, so of two
 * requests racing with the same code exactly one inserts the row, and Payload's rewrite of the
 * users row during login cannot bring a spent code back (see schema.ts).
 */

/** A TOTP code is identified by its time step, a backup code by its keyed hash. */
type UsedCodeKey = `totp:${number}` | `backup:${string}`

/** TOTP steps are only worth remembering while their codes could still be accepted. */
const totpRowLifetime = sql`interval '10 minutes'`

/** Records the code as used; false when it had been used already. */
export const markCodeUsed = async ({
  payload,
  userId,
  codeKey,
}: {
  payload: Payload
  userId: number | string
  codeKey: UsedCodeKey
}): Promise<boolean> => {
  const db = getExecutorOutsideTransaction(payload)
  const inserted = await db.execute(sql`
    INSERT INTO ${sql.identifier(usedCodesTable)} ("user_id", "code_key")
    VALUES (${userId}, ${codeKey})
    ON CONFLICT DO NOTHING
    RETURNING "user_id"`)
  if (codeKey.startsWith('totp:')) {
    await db.execute(sql`
      DELETE FROM ${sql.identifier(usedCodesTable)}
      WHERE "user_id" = ${userId} AND "code_key" LIKE 'totp:%' AND "used_at" < now() - ${totpRowLifetime}`)
  }
  return inserted.rows.length === 1
}

/** A new secret or new backup codes start with a clean slate. */
export const forgetUsedCodes = async ({
  payload,
  userId,
}: {
  payload: Payload
  userId: number | string
}): Promise<void> => {
  await getExecutorOutsideTransaction(payload).execute(
    sql`DELETE FROM ${sql.identifier(usedCodesTable)} WHERE "user_id" = ${userId}`,
  )
}
