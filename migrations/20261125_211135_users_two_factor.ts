import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

/**
 * TOTP two-factor authentication: four nullable or defaulted columns on users, and a table of the
 * codes already used. Nothing is dropped or renamed, so replicas still running the previous
 * release keep working while this one rolls out.
 *
 * `two_factor_used_codes` lives outside Payload's schema: a login's own transaction rewrites the
 * whole users row (Payload stores the new session that way), so a code spent in that row could be
 * restored by a login racing it. A row here, inserted outside any transaction under a primary
 * key, can be spent once only. No foreign key to users: checking it would wait for the lock the
 * login's transaction holds on that users row. A deleted user's few rows stay behind harmlessly
 * (ids are never reused).
 */
export async function up({ db }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
   ALTER TABLE "users" ADD COLUMN "two_factor_enabled" boolean DEFAULT false;
  ALTER TABLE "users" ADD COLUMN "totp_secret" varchar;
  ALTER TABLE "users" ADD COLUMN "totp_last_time_step" numeric;
  ALTER TABLE "users" ADD COLUMN "backup_codes" varchar;
  CREATE TABLE IF NOT EXISTS "two_factor_used_codes" (
  	"user_id" integer NOT NULL,
  	"code_key" varchar(80) NOT NULL,
  	"used_at" timestamp(3) with time zone NOT NULL DEFAULT now(),
  	PRIMARY KEY ("user_id", "code_key")
  );`)
}

export async function down({ db }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
   DROP TABLE IF EXISTS "two_factor_used_codes";
  ALTER TABLE "users" DROP COLUMN "two_factor_enabled";
  ALTER TABLE "users" DROP COLUMN "totp_secret";
  ALTER TABLE "users" DROP COLUMN "totp_last_time_step";
  ALTER TABLE "users" DROP COLUMN "backup_codes";`)
}
