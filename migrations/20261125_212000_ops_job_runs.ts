import { MigrateUpArgs, MigrateDownArgs, sql } from '@payloadcms/db-postgres'

/**
 * Results of `npm run backup` and `npm run drill`, one row per run. Every replica reads the latest
 * rows into its metrics, so all of them report the same backup age. The table lives outside
 * Payload's schema (no collection, no admin view): written by the CLIs, read by the metrics job.
 */
export async function up({ db }: MigrateUpArgs): Promise<void> {
  await db.execute(sql`
  CREATE TABLE IF NOT EXISTS "ops_job_runs" (
  	"id" serial PRIMARY KEY,
  	"job" varchar(32) NOT NULL,
  	"status" varchar(16) NOT NULL,
  	"started_at" timestamp(3) with time zone NOT NULL,
  	"finished_at" timestamp(3) with time zone NOT NULL,
  	"details" jsonb NOT NULL DEFAULT '{}'::jsonb,
  	CONSTRAINT "ops_job_runs_status_check" CHECK ("status" IN ('succeeded', 'failed'))
  );
  CREATE INDEX IF NOT EXISTS "ops_job_runs_job_status_finished_at_idx" ON "ops_job_runs" USING btree ("job", "status", "finished_at" DESC);`)
}

export async function down({ db }: MigrateDownArgs): Promise<void> {
  await db.execute(sql`
  DROP TABLE IF EXISTS "ops_job_runs";`)
}
