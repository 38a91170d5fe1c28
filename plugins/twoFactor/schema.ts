/**
 * Codes already used, one row per user and code. This table lives outside Payload's schema, so
 * an app creates it in one of its own migrations by running {@link createUsedCodesTableSql}.
 *
 * Why outside: a login's own transaction rewrites the whole users row (Payload stores the new
 * session that way), so a code spent in that row could be restored by a login racing it. A row
 * here, inserted outside any transaction under a primary key, can be spent once only. No foreign
 * key to users: checking it would wait for the lock the login's transaction holds on that users
 * row. A deleted user's few rows stay behind harmlessly (ids are never reused).
 */
export const usedCodesTable = 'two_factor_used_codes'

/** The table as the plugin expects it; `user_id` is an integer (Postgres's default id type). */
export const createUsedCodesTableSql = `CREATE TABLE IF NOT EXISTS "${usedCodesTable}" (
  "user_id" integer NOT NULL,
  "code_key" varchar(80) NOT NULL,
  "used_at" timestamp(3) with time zone NOT NULL DEFAULT now(),
  PRIMARY KEY ("user_id", "code_key")
);`

export const dropUsedCodesTableSql = `DROP TABLE IF EXISTS "${usedCodesTable}";`
