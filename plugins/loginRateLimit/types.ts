import type { CollectionSlug, PayloadRequest } from 'payload'

/** Which of the two limits refused a request; also the prefix of its counters' keys. */
export type LoginLimiterName = 'login-ip' | 'login-account'

/** What `onRefusal` is told about a refused sign-in-type request. */
export type LoginRefusal = {
  limiter: LoginLimiterName
  req: PayloadRequest
  msBeforeRetry: number
}

/**
 * A short, per-process memory of the client addresses just refused, so a flood from one address is
 * answered without a database round trip. Made with `createLoginRefusalMemory`.
 */
export type LoginRefusalMemory = {
  /** The address was refused; it may sign in again in `msBeforeRetry`. */
  remember: (address: string, msBeforeRetry: number) => void
  /** How long until the address may try again, when a recent refusal says so; otherwise 0. */
  msBeforeRetry: (address: string) => number
}

type AttemptArgs = {
  req: PayloadRequest
  /** The email or username tried, when the request names an account. */
  account?: unknown
}

/** Counts sign-in attempts against the limits; shared with other code that checks credentials. */
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

export type LoginRateLimitPluginOptions = {
  /**
   * When false, no limit is added; the plugin adds no schema, so nothing else changes.
   * @default true
   */
  isEnabled?: boolean
  /**
   * The auth collections whose sign-ins are limited.
   * @default every collection with `auth`
   */
  collections?: CollectionSlug[]
  /**
   * The PostgreSQL database the counters live in. Every replica must use the same one, so the
   * limits hold across them. The plugin opens a small pool of its own to it (see README).
   */
  connectionString: string
  /**
   * Length, in seconds, of the fixed window both limits count in.
   * @default 900
   */
  windowSeconds?: number
  /**
   * Password checks allowed per account and client address in a window. Each login is counted
   * before its password is checked; a successful one clears the count.
   * @default 5
   */
  accountFailures?: number
  /**
   * Sign-in-type requests (login, forgot and reset password, first user) allowed per address in
   * a window, whatever the account.
   * @default 20
   */
  ipAttempts?: number
  /**
   * The table holding the counters.
   * @default 'login_rate_limits'
   */
  tableName?: string
  /**
   * Whether the table exists already (e.g. a migration created it). When false the plugin creates
   * it, if missing, before its first count.
   * @default false
   */
  isTableCreated?: boolean
  /**
   * `application_name` of the counters' connections, as `pg_stat_activity` shows them.
   * @default 'payload-login-rate-limit'
   */
  poolApplicationName?: string
  /**
   * The client's address, as something you trust established it (your HTTP server from the socket,
   * or a proxy you run). Requests it gives no address for count as one client, `unknown`.
   * @default () => undefined: no header is trusted, so every request counts as one client
   */
  getClientIp?: (req: PayloadRequest) => string | undefined
  /**
   * Remembers refused addresses for a few seconds. Pass one of your own to share it with code that
   * answers before Payload (an HTTP server in front of it).
   * @default a memory of this plugin's own
   */
  refusalMemory?: LoginRefusalMemory
  /**
   * Called on every refusal (429), e.g. to count it in a metric.
   * @default nothing
   */
  onRefusal?: (refusal: LoginRefusal) => void
  /**
   * Errors from the counters' store that your app answers itself (e.g. an unreachable database it
   * answers 503 with its own error hook); they are rethrown as they are. Any other store error is
   * answered 503 `SignInUnavailableError`: a failing store never opens the door.
   * @default () => false
   */
  isAnsweredByApp?: (error: unknown) => boolean
  /**
   * A limiter made beforehand with `createLoginRateLimiter` from these same options, when other
   * code (a second-factor check) must count against the same limits.
   * @default one made from these options
   */
  limiter?: LoginRateLimiter
}

/** The options with every default filled in. */
export type SanitizedLoginRateLimitOptions = Required<
  Omit<LoginRateLimitPluginOptions, 'collections' | 'limiter'>
> &
  Pick<LoginRateLimitPluginOptions, 'collections' | 'limiter'>
