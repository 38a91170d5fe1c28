import { sql, type PostgresAdapter } from '@payloadcms/db-postgres'
import type { Payload } from 'payload'

/**
 * Codes already used, one row per user and code, created by the users_two_factor migration.
 * Written outside the login's transaction on purpose: the insert commits at once, so of two
 * requests racing with the same code exactly one inserts the row, and Payload's rewrite of the
 * users row during login cannot bring a spent code back. See that migration for the details.
 */
export const usedCodesTable = 'two_factor_used_codes'

/** A TOTP code is identified by its time step, a backup code by its keyed hash. */
type UsedCodeKey = `totp:${number}` | `backup:${string}`

const database = (payload: Payload) => (payload.db as unknown as PostgresAdapter).drizzle

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
  const db = database(payload)
  const inserted = await db.execute(sql`
    INSERT INTO ${sql.identifier(usedCodesTable)} ("user_id", "code_key")
    VALUES (${userId}, ${codeKey})
    ON CONFLICT DO NOTHING`)
  if (codeKey.startsWith('totp:')) {
    await db.execute(sql`
      DELETE FROM ${sql.identifier(usedCodesTable)}
      WHERE "user_id" = ${userId} AND "code_key" LIKE 'totp:%' AND "used_at" < now() - ${totpRowLifetime}`)
  }
  return (inserted.rowCount ?? 0) === 1
}

/** A new secret or new backup codes start with a clean slate. */
export const forgetUsedCodes = async ({
  payload,
  userId,
}: {
  payload: Payload
  userId: number | string
}): Promise<void> => {
  await database(payload).execute(
    sql`DELETE FROM ${sql.identifier(usedCodesTable)} WHERE "user_id" = ${userId}`,
  )
}
