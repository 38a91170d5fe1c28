import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

/**
 * Counters of the login rate limits, shared by every replica. The columns are the ones
 * rate-limiter-flexible's Postgres store reads and writes; the table lives outside Payload's schema,
 * so it is created here rather than by the library at runtime (production never changes schema
 * outside migrations).
 */
export async function up({ db }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
  CREATE TABLE IF NOT EXISTS "login_rate_limits" (
  	"key" varchar(255) PRIMARY KEY,
  	"points" integer NOT NULL DEFAULT 0,
  	"expire" bigint
  );
  CREATE INDEX IF NOT EXISTS "login_rate_limits_expire_idx" ON "login_rate_limits" USING btree ("expire");`)
}

export async function down({ db }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
  DROP TABLE IF EXISTS "login_rate_limits";`)
}
