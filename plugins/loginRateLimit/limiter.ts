import { APIError, type PayloadRequest } from 'payload'
import pg from 'pg'
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible'

import { sanitizeLoginRateLimitOptions } from './defaults'
import { signInUnavailableError, tooManySignInAttemptsError } from './errors'
import type {
  LoginLimiterName,
  LoginRateLimiter,
  LoginRateLimitPluginOptions,
  SanitizedLoginRateLimitOptions,
} from './types'
import { toRetryAfterSeconds } from './utilities/loginRefusals'
import { normaliseAccount, toAccountKey, unknownAddress } from './utilities/signInRequest'

type Counters = { perAddress: RateLimiterPostgres; perAccount: RateLimiterPostgres }

/**
 * The counters get a small pool of their own. Payload opens the transaction of a password reset
 * before any hook runs; had the limiter shared that pool, a burst of resets could hold every
 * connection while each waited for one more to count itself, and nothing would ever finish.
 * Counts must also survive the rollback of a failed login's transaction.
 */
const createPool = (options: SanitizedLoginRateLimitOptions) => {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: 3,
    idleTimeoutMillis: 10_000,
    connectionTimeoutMillis: 5_000,
    application_name: options.poolApplicationName,
    // Scripts that never sign anyone in, and tests, exit without closing it.
    allowExitOnIdle: true,
  })
  // An idle connection the server drops must not crash the process; the next query reconnects.
  pool.on('error', () => undefined)
  return pool
}

/** The table as rate-limiter-flexible reads it, with an index for its sweep of expired rows. */
const ensureTable = async (pool: pg.Pool, tableName: string) => {
  const table = pg.escapeIdentifier(tableName)
  await pool.query(
    `CREATE TABLE IF NOT EXISTS ${table} (key varchar(255) PRIMARY KEY, points integer NOT NULL DEFAULT 0, expire bigint);
     CREATE INDEX IF NOT EXISTS ${pg.escapeIdentifier(`${tableName}_expire_idx`)} ON ${table} (expire);`,
  )
}

const createCounters = async (options: SanitizedLoginRateLimitOptions): Promise<Counters> => {
  const pool = createPool(options)
  // Created here, awaited, rather than by the library, which refuses counts until it is done.
  if (!options.isTableCreated) await ensureTable(pool, options.tableName)
  const shared = {
    storeClient: pool,
    storeType: 'pool',
    tableName: options.tableName,
    tableCreated: true,
    // Deletes rows that expired over an hour ago, every five minutes, on an unref'd timer.
    clearExpiredByTimeout: true,
    duration: options.windowSeconds,
  }
  return {
    perAddress: new RateLimiterPostgres({
      ...shared,
      keyPrefix: 'login-ip' satisfies LoginLimiterName,
      points: options.ipAttempts,
    }),
    perAccount: new RateLimiterPostgres({
      ...shared,
      keyPrefix: 'login-account' satisfies LoginLimiterName,
      points: options.accountFailures,
    }),
  }
}

/**
 * Refuses the request with 429 and a Retry-After header. Payload merges `req.responseHeaders` into
 * REST and GraphQL responses, error responses included.
 */
const refuse = (
  options: SanitizedLoginRateLimitOptions,
  {
    req,
    limiter,
    msBeforeRetry,
  }: { req: PayloadRequest; limiter: LoginLimiterName; msBeforeRetry: number },
): never => {
  req.responseHeaders = new Headers(req.responseHeaders)
  req.responseHeaders.set('Retry-After', String(toRetryAfterSeconds(msBeforeRetry)))
  options.onRefusal({ limiter, req, msBeforeRetry })
  throw tooManySignInAttemptsError(msBeforeRetry)
}

/** The store failing must not open the door: answer 503 and let the client retry. */
const withStoreErrorsAsUnavailable = async <T>(
  options: SanitizedLoginRateLimitOptions,
  work: () => Promise<T>,
): Promise<T> => {
  try {
    return await work()
  } catch (error) {
    // A refusal (429) is already an APIError; errors the app answers itself pass through.
    if (error instanceof APIError || options.isAnsweredByApp(error)) throw error
    throw signInUnavailableError()
  }
}

/** Turns the store's "over the limit" answer into a refusal; other rejections pass on. */
const refuseWhenOverLimit =
  (
    options: SanitizedLoginRateLimitOptions,
    args: { req: PayloadRequest; limiter: LoginLimiterName; onOverLimit?: (ms: number) => void },
  ) =>
  (rejection: unknown): never => {
    if (rejection instanceof RateLimiterRes) {
      args.onOverLimit?.(rejection.msBeforeNext)
      refuse(options, { ...args, msBeforeRetry: rejection.msBeforeNext })
    }
    throw rejection
  }

/**
 * The limiter the plugin's hooks use: per address for every sign-in-type request, per account and
 * address for credential checks, counted in PostgreSQL. Make it yourself (from the same options you
 * give the plugin) only when other code must count against the same limits.
 */
export const createLoginRateLimiter = (
  incomingOptions: LoginRateLimitPluginOptions,
): LoginRateLimiter => {
  const options = sanitizeLoginRateLimitOptions(incomingOptions)
  const { refusalMemory } = options
  let counters: Promise<Counters> | undefined
  // Opened on the first sign-in, so scripts that never sign anyone in open no connection.
  const getCounters = () =>
    (counters ??= createCounters(options).catch((error: unknown) => {
      // A table that could not be created is tried again on the next sign-in.
      counters = undefined
      throw error
    }))
  const getAddress = (req: PayloadRequest) => options.getClientIp(req) || unknownAddress
  return {
    consumeAttempt: async ({ req, account }) => {
      const address = getAddress(req)
      const remembered = refusalMemory.msBeforeRetry(address)
      if (remembered > 0) refuse(options, { req, limiter: 'login-ip', msBeforeRetry: remembered })
      const normalised = normaliseAccount(account)
      await withStoreErrorsAsUnavailable(options, async () => {
        const { perAddress, perAccount } = await getCounters()
        // The address first: every sign-in-type request counts against it, also those then refused
        // for the account, so hammering one refused account from one address is soon refused here.
        await perAddress.consume(address).catch(
          refuseWhenOverLimit(options, {
            req,
            limiter: 'login-ip',
            onOverLimit: (ms) => refusalMemory.remember(address, ms),
          }),
        )
        if (!normalised) return
        // Counted up front, atomically in the shared table: counting failures afterwards let every
        // check already under way (parallel requests, several logins in one GraphQL request) pass.
        await perAccount
          .consume(toAccountKey(normalised, address))
          .catch(refuseWhenOverLimit(options, { req, limiter: 'login-account' }))
      })
    },
    recordSuccess: async ({ req, account }) => {
      const normalised = normaliseAccount(account)
      if (!normalised) return
      const { perAccount } = await getCounters()
      await perAccount.delete(toAccountKey(normalised, getAddress(req)))
    },
  }
}
