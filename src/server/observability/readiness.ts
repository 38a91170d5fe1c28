import fs from 'node:fs'
import path from 'node:path'

import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3'
import pg from 'pg'

import type { AppEnv } from '../../config/env'
import { getR2ClientConfig } from '../../storage/r2Client'

export type CheckResult = { status: 'ok' | 'failing'; ms: number; error?: string }
export type ReadinessReport = {
  status: 'ok' | 'unavailable'
  /** Why the replica is unavailable although its checks pass: it is shutting down. */
  reason?: 'shutting down'
  checks: { database: CheckResult; storage: CheckResult & { backend: 'r2' | 'local' } }
}

type ReadinessEnv = Pick<AppEnv, 'DATABASE_URL' | 'r2' | 'MEDIA_DIR'>

const withTimeout = <T>(work: Promise<T>, timeoutMs: number, what: string): Promise<T> =>
  Promise.race([
    work,
    new Promise<never>((_, reject) =>
      setTimeout(
        () => reject(new Error(`${what} did not answer within ${timeoutMs} ms`)),
        timeoutMs,
      ).unref(),
    ),
  ])

/** Error text safe to show anyone: a code or a short reason, never a connection string. */
const describeFailure = (error: unknown): string => {
  const { code, name, message } = error as { code?: string; name?: string; message?: string }
  if (message?.includes('did not answer within')) return message
  return code ?? name ?? 'unavailable'
}

const timed = async (check: () => Promise<unknown>): Promise<CheckResult> => {
  const started = performance.now()
  try {
    await check()
    return { status: 'ok', ms: Math.round(performance.now() - started) }
  } catch (error) {
    return {
      status: 'failing',
      ms: Math.round(performance.now() - started),
      error: describeFailure(error),
    }
  }
}

/**
 * The readiness probe's checks and the database statistics for metrics, over one small pool of
 * this module's own (a single connection), so a saturated app pool cannot hide a healthy database
 * and probes never take connections the app needs.
 */
export const createReadinessChecks = (env: ReadinessEnv, { timeoutMs = 2_000 } = {}) => {
  const pool = new pg.Pool({
    connectionString: env.DATABASE_URL,
    max: 1,
    connectionTimeoutMillis: timeoutMs,
    idleTimeoutMillis: 30_000,
    statement_timeout: timeoutMs,
    application_name: 'catalog-cms-probe',
  })
  // A dropped idle connection is reported by the next check, not by crashing the process.
  pool.on('error', () => undefined)
  const s3 = env.r2 ? new S3Client({ ...getR2ClientConfig(env.r2), maxAttempts: 1 }) : undefined
  const mediaDir = path.resolve(env.MEDIA_DIR)

  const checkDatabase = () =>
    timed(() => withTimeout(pool.query('SELECT 1'), timeoutMs, 'the database'))

  const checkStorage = () =>
    timed(() =>
      s3 && env.r2
        ? withTimeout(
            s3.send(new HeadBucketCommand({ Bucket: env.r2.bucket }), {
              abortSignal: AbortSignal.timeout(timeoutMs),
            }),
            timeoutMs,
            'the bucket',
          )
        : fs.promises
            .mkdir(mediaDir, { recursive: true })
            .then(() => fs.promises.access(mediaDir, fs.constants.W_OK)),
    )

  return {
    check: async (): Promise<ReadinessReport> => {
      const [database, storage] = await Promise.all([checkDatabase(), checkStorage()])
      const isReady = database.status === 'ok' && storage.status === 'ok'
      return {
        status: isReady ? 'ok' : 'unavailable',
        checks: { database, storage: { ...storage, backend: env.r2 ? 'r2' : 'local' } },
      }
    },
    /** Server-side connections by state, and the connection limit, for the metrics endpoint. */
    readConnectionStats: async () => {
      const [byState, limit] = await withTimeout(
        Promise.all([
          pool.query<{ state: string; count: string }>(
            `SELECT coalesce(state, 'background') AS state, count(*) AS count
               FROM pg_stat_activity WHERE datname = current_database() GROUP BY 1`,
          ),
          pool.query<{ max_connections: string }>('SHOW max_connections'),
        ]),
        timeoutMs,
        'the database',
      )
      return {
        byState: Object.fromEntries(byState.rows.map((row) => [row.state, Number(row.count)])),
        maxConnections: Number(limit.rows[0]?.max_connections ?? 0),
      }
    },
    close: async () => {
      s3?.destroy()
      await pool.end()
    },
  }
}

export type ReadinessChecks = ReturnType<typeof createReadinessChecks>
