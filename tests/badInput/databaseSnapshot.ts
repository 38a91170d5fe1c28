import pg from 'pg'

/** Per table: its row count and, where it has one, the newest `updated_at`. */
export type DatabaseSnapshot = Record<string, { rows: number; lastUpdatedAt: string | null }>

const quoteIdentifier = (name: string) => `"${name.replaceAll('"', '""')}"`

/**
 * Rows a running server writes on its own clock, whatever requests it gets: on each autoRun tick
 * Payload queues the next job of every scheduled task and workflow (the audit log's retention, for
 * one) and records that in its scheduling statistics, and each job logs its run when it comes due.
 * A replica with `JOBS_AUTORUN` on does this mid-test, so these rows say nothing about what a
 * request changed. The scheduler marks the jobs it queues (`meta.scheduled`), whatever their task
 * or queue; an API caller cannot: the jobs collection rebuilds every job it queues as a scheduled
 * publish, without the caller's `meta` (src/config/editorial/jobs.ts). No caller may write the
 * statistics (src/config/jobStatsAccess.ts).
 */
const scheduledJobIds = `select id from payload_jobs where meta->>'scheduled' = 'true'`
const clockDrivenRows: Record<string, string | false> = {
  payload_jobs: `id not in (${scheduledJobIds})`,
  payload_jobs_log: `_parent_id not in (${scheduledJobIds})`,
  payload_jobs_stats: false,
}

/**
 * Reads every table of the public schema straight from PostgreSQL, bypassing Payload: a bad
 * request that slipped a row in, deleted one or rewrote one shows up here whatever the API says.
 */
export const createDatabaseSnapshotter = async (connectionString: string) => {
  const client = new pg.Client({ connectionString })
  await client.connect()
  const { rows: tables } = await client.query<{ table_name: string; has_updated_at: boolean }>(
    `select t.table_name,
            exists (select 1 from information_schema.columns c
                    where c.table_schema = t.table_schema and c.table_name = t.table_name
                      and c.column_name = 'updated_at') as has_updated_at
       from information_schema.tables t
      where t.table_schema = 'public' and t.table_type = 'BASE TABLE'
      order by t.table_name`,
  )
  const query = tables
    .filter(({ table_name }) => clockDrivenRows[table_name] !== false)
    .map(
      ({ table_name, has_updated_at }) =>
        `select ${pg.escapeLiteral(table_name)} as name, count(*)::int as rows, ${
          has_updated_at ? 'max(updated_at)::text' : 'null::text'
        } as last_updated_at from ${quoteIdentifier(table_name)}${
          clockDrivenRows[table_name] ? ` where ${clockDrivenRows[table_name]}` : ''
        }`,
    )
    .join(' union all ')

  const take = async (): Promise<DatabaseSnapshot> => {
    const { rows } = await client.query<{
      name: string
      rows: number
      last_updated_at: string | null
    }>(query)
    return Object.fromEntries(
      rows.map((row) => [row.name, { rows: row.rows, lastUpdatedAt: row.last_updated_at }]),
    )
  }
  return { take, tableCount: tables.length, close: () => client.end() }
}

/** The tables whose snapshot differs, with before and after, for a readable failure. */
export const diffSnapshots = (before: DatabaseSnapshot, after: DatabaseSnapshot) =>
  Object.keys({ ...before, ...after })
    .filter((name) => JSON.stringify(before[name]) !== JSON.stringify(after[name]))
    .map((name) => ({ table: name, before: before[name], after: after[name] }))
