import {
  APIError,
  type CollectionAfterLoginHook,
  type CollectionBeforeOperationHook,
  type CollectionConfig,
  type PayloadRequest,
  type Plugin,
} from 'payload'
import pg from 'pg'
import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible'

import { isDatabaseUnavailableError } from '../../src/database/unavailable'
import { getEnv, type AppEnv } from '../../src/config/env'
import { publicApiError } from '../../src/config/errors/publicApiError'
import { getAppMetrics } from '../../src/server/observability/metrics'
import { clientIpHeader } from '../../src/server/observability/requestId'

import {
  createLoginRefusalMemory,
  describeSignInRefusal,
  getLoginRefusalMemory,
  type LoginRefusalMemory,
} from './loginRefusals'

export type LoginRateLimitSettings = {
  /** The database every replica shares; the counters live there. */
  connectionString: string
  /** Length of the fixed window both limits count in. */
  windowSeconds: number
  /**
   * Password checks allowed per account and client address in a window. Each login is counted
   * before its password is checked; a successful one clears the count.
   */
  accountFailures: number
  /** Login-type requests (login, password reset, first user, 2FA codes) allowed per address. */
  ipAttempts: number
}

/** Created by a committed migration; shared by every replica, so the limits hold across them. */
export const loginRateLimitTable = 'login_rate_limits'

type Limiters = { perAddress: RateLimiterPostgres; perAccount: RateLimiterPostgres }

/**
 * The counters get a small pool of their own. Payload opens the transaction of a password reset
 * before any hook runs; had the limiter shared that pool, a burst of resets could hold every
 * connection while each waited for one more to count itself, and nothing would ever finish.
 * Counts must also survive the rollback of a failed login's transaction.
 */
const createLimiters = (settings: LoginRateLimitSettings): Limiters => {
  const pool = new pg.Pool({
    connectionString: settings.connectionString,
    max: 3,
    idleTimeoutMillis: 10_000,
    connectionTimeoutMillis: 5_000,
    application_name: 'catalog-login-limits',
    // Scripts that never sign anyone in, and tests, exit without closing it.
    allowExitOnIdle: true,
  })
  // An idle connection the server drops must not crash the process; the next query reconnects.
  pool.on('error', () => undefined)
  const shared = {
    storeClient: pool,
    storeType: 'pool',
    tableName: loginRateLimitTable,
    tableCreated: true,
    // Deletes rows that expired over an hour ago, every five minutes, on an unref'd timer.
    clearExpiredByTimeout: true,
    duration: settings.windowSeconds,
  }
  return {
    perAddress: new RateLimiterPostgres({
      ...shared,
      keyPrefix: 'login-ip',
      points: settings.ipAttempts,
    }),
    perAccount: new RateLimiterPostgres({
      ...shared,
      keyPrefix: 'login-account',
      points: settings.accountFailures,
    }),
  }
}

/** Direct calls to the route handlers (no HTTP server in front) all count as one address. */
const unknownAddress = 'unknown'

const getClientAddress = (req: PayloadRequest): string =>
  req.headers?.get(clientIpHeader) || unknownAddress

const normaliseAccount = (account: unknown): string | undefined =>
  typeof account === 'string' && account.trim()
    ? account.trim().toLowerCase().slice(0, 320)
    : undefined

const accountKey = (account: string, address: string) => `${address}|${account}`

/**
 * Refuses the request with 429 and a Retry-After header. Payload merges `req.responseHeaders` into
 * REST and GraphQL responses, error responses included.
 */
const refuse = (req: PayloadRequest, limiter: string, msBeforeNext: number): never => {
  const { retryAfter, message, data } = describeSignInRefusal(msBeforeNext)
  req.responseHeaders = new Headers(req.responseHeaders)
  req.responseHeaders.set('Retry-After', retryAfter)
  getAppMetrics().rateLimitRejections.inc({ limiter })
  throw publicApiError({ name: 'TooManySignInAttemptsError', message, status: 429, data })
}

/** The store failing must not open the door: answer 503 and let the client retry. */
const withStoreErrorsAsUnavailable = async <T>(work: () => Promise<T>): Promise<T> => {
  try {
    return await work()
  } catch (error) {
    // A refusal (429) is already an APIError; an unreachable database is answered as on every
    // other route (503 with Retry-After, logged once per outage); anything else came from the store.
    if (error instanceof APIError || isDatabaseUnavailableError(error)) throw error
    throw publicApiError({
      name: 'SignInUnavailableError',
      message: 'Sign-in is temporarily unavailable. Try again in a minute.',
      status: 503,
    })
  }
}

type AttemptArgs = {
  req: PayloadRequest
  /** The email or username tried, when the request names an account. */
  account?: unknown
}

export type LoginRateLimiter = {
  /**
   * Counts one sign-in-type request from the client's address and, when it names an account, one
   * credential check against that account from that address; refuses it (429) when either is over
   * its limit. Called before any credential is checked, so checks running in parallel (or several
   * in one request) are each counted and cannot get past the limit together.
   */
  consumeAttempt: (args: AttemptArgs) => Promise<void>
  /** Clears the account's count from this address once its credentials were accepted. */
  recordSuccess: (args: AttemptArgs) => Promise<void>
}

export const createLoginRateLimiter = (
  settings: LoginRateLimitSettings,
  refusals: LoginRefusalMemory = createLoginRefusalMemory(),
): LoginRateLimiter => {
  let limiters: Limiters | undefined
  const getLimiters = () => (limiters ??= createLimiters(settings))
  return {
    consumeAttempt: async ({ req, account }) => {
      const address = getClientAddress(req)
      const remembered = refusals.msBeforeRetry(address)
      if (remembered > 0) refuse(req, 'login-ip', remembered)
      const { perAddress, perAccount } = getLimiters()
      const normalised = normaliseAccount(account)
      await withStoreErrorsAsUnavailable(async () => {
        // The address first: every sign-in-type request counts against it, also those then refused
        // for the account, so hammering one refused account from one address is soon refused here.
        await perAddress.consume(address).catch((rejection: unknown) => {
          if (rejection instanceof RateLimiterRes) {
            refusals.remember(address, rejection.msBeforeNext)
            refuse(req, 'login-ip', rejection.msBeforeNext)
          }
          throw rejection
        })
        if (!normalised) return
        // Counted up front, atomically in the shared table: counting failures afterwards let every
        // check already under way (parallel requests, several logins in one GraphQL request) pass.
        await perAccount.consume(accountKey(normalised, address)).catch((rejection: unknown) => {
          if (rejection instanceof RateLimiterRes) {
            refuse(req, 'login-account', rejection.msBeforeNext)
          }
          throw rejection
        })
      })
    },
    recordSuccess: async ({ req, account }) => {
      const normalised = normaliseAccount(account)
      if (!normalised) return
      const { perAccount } = getLimiters()
      await perAccount.delete(accountKey(normalised, getClientAddress(req)))
    },
  }
}

const isFirstRegister = (req: PayloadRequest, slug: string) =>
  Boolean(
    req.url && new URL(req.url, 'http://localhost').pathname.endsWith(`/${slug}/first-register`),
  )

/** Trusted server code (seeds, scripts, tests' setup) signs in through the Local API unlimited. */
const isLocalApi = (req: PayloadRequest) => req.payloadAPI === 'local'

const getAccountFromData = (data: unknown): unknown => {
  const fields = (data ?? {}) as { email?: unknown; username?: unknown }
  return fields.email ?? fields.username
}

const limitSignInOperations =
  (limiter: LoginRateLimiter, slug: string): CollectionBeforeOperationHook =>
  async ({ args, operation, req }) => {
    if (isLocalApi(req)) return args
    const data = (args as { data?: unknown }).data
    if (operation === 'login') {
      await limiter.consumeAttempt({ req, account: getAccountFromData(data) })
    } else if (operation === 'forgotPassword' || operation === 'resetPassword') {
      await limiter.consumeAttempt({ req })
    } else if (operation === 'create' && isFirstRegister(req, slug)) {
      await limiter.consumeAttempt({ req })
    }
    return args
  }

/** The account that signed in, as its login named it (Payload found it by that, lower-cased). */
const forgetCountAfterLogin =
  (limiter: LoginRateLimiter): CollectionAfterLoginHook =>
  async ({ req, user }) => {
    if (isLocalApi(req)) return user
    const { email, username } = user as { email?: unknown; username?: unknown }
    await limiter.recordSuccess({ req, account: email ?? username })
    return user
  }

const withSignInLimits = (collection: CollectionConfig, limiter: LoginRateLimiter) =>
  collection.auth
    ? {
        ...collection,
        hooks: {
          ...collection.hooks,
          beforeOperation: [
            limitSignInOperations(limiter, collection.slug),
            ...(collection.hooks?.beforeOperation ?? []),
          ],
          afterLogin: [...(collection.hooks?.afterLogin ?? []), forgetCountAfterLogin(limiter)],
        },
      }
    : collection

/**
 * Login rate limits for every auth collection, over REST and GraphQL alike: per address for every
 * sign-in-type request, per account and address for password checks. Counters live in PostgreSQL
 * so every replica enforces the same limits. Nothing here is kept per account alone, so no one can
 * lock an account's owner out from another address (which is why the users collection turns
 * Payload's own `maxLoginAttempts` lockout off).
 */
export const loginRateLimitPlugin =
  (limiter: LoginRateLimiter): Plugin =>
  (config) => ({
    ...config,
    collections: config.collections?.map((collection) => withSignInLimits(collection, limiter)),
  })

let appLimiter: LoginRateLimiter | undefined

/** The app's limiter, configured from LOGIN_RATE_LIMIT_*; also used by the second-factor check. */
export const getLoginRateLimiter = (
  env: Pick<
    AppEnv,
    | 'LOGIN_RATE_LIMIT_WINDOW_SECONDS'
    | 'LOGIN_RATE_LIMIT_ACCOUNT_FAILURES'
    | 'LOGIN_RATE_LIMIT_IP_ATTEMPTS'
    | 'DATABASE_URL'
  > = getEnv(),
): LoginRateLimiter => {
  appLimiter ??= createLoginRateLimiter(
    {
      connectionString: env.DATABASE_URL,
      windowSeconds: env.LOGIN_RATE_LIMIT_WINDOW_SECONDS,
      accountFailures: env.LOGIN_RATE_LIMIT_ACCOUNT_FAILURES,
      ipAttempts: env.LOGIN_RATE_LIMIT_IP_ATTEMPTS,
    },
    // Shared with the HTTP server, which answers remembered refusals before Next.js.
    getLoginRefusalMemory(),
  )
  return appLimiter
}
