import type {
  LoginRateLimiter,
  LoginRateLimitPluginOptions,
} from '../../plugins/loginRateLimit/types'
import { createLoginRateLimiter } from '../../plugins/loginRateLimit/limiter'
import { createLoginRefusalMemory } from '../../plugins/loginRateLimit/utilities/loginRefusals'
import type { LoginRefusalMemory } from '../../plugins/loginRateLimit/types'
import { isDatabaseUnavailableError } from '../database/unavailable'
import { getEnv, type AppEnv } from './env'
import { getProcessSingleton } from '../lib/processSingleton'
import { getAppMetrics } from '../server/observability/metrics'
import { clientIpHeader } from '../server/observability/requestId'

/** The app's memory, shared by the HTTP server and Payload (inside the Next.js bundle). */
export const getLoginRefusalMemory = (): LoginRefusalMemory =>
  getProcessSingleton('catalog-cms.login-refusals', () => createLoginRefusalMemory())

type LoginRateLimitEnv = Pick<
  AppEnv,
  | 'LOGIN_RATE_LIMIT_WINDOW_SECONDS'
  | 'LOGIN_RATE_LIMIT_ACCOUNT_FAILURES'
  | 'LOGIN_RATE_LIMIT_IP_ATTEMPTS'
  | 'DATABASE_URL'
>

/** How this app limits sign-ins: LOGIN_RATE_LIMIT_*, its migration's table, its metrics. */
const getAppLoginRateLimitSettings = (env: LoginRateLimitEnv): LoginRateLimitPluginOptions => ({
  connectionString: env.DATABASE_URL,
  windowSeconds: env.LOGIN_RATE_LIMIT_WINDOW_SECONDS,
  accountFailures: env.LOGIN_RATE_LIMIT_ACCOUNT_FAILURES,
  ipAttempts: env.LOGIN_RATE_LIMIT_IP_ATTEMPTS,
  // Created by a committed migration (migrations/*_login_rate_limits.ts).
  isTableCreated: true,
  poolApplicationName: 'catalog-login-limits',
  // Set by our HTTP server from the socket (or trusted proxy headers), never taken from the client.
  getClientIp: (req) => req.headers?.get(clientIpHeader) || undefined,
  // Shared with the HTTP server, which answers remembered refusals before Next.js.
  refusalMemory: getLoginRefusalMemory(),
  onRefusal: ({ limiter }) => getAppMetrics().rateLimitRejections.inc({ limiter }),
  // An unreachable database is answered as on every other route (503 with Retry-After, logged once
  // per outage) by the databaseUnavailable error hook.
  isAnsweredByApp: isDatabaseUnavailableError,
})

let appLimiter: LoginRateLimiter | undefined

/** The app's limiter, configured from LOGIN_RATE_LIMIT_*; also used by the second-factor check. */
export const getLoginRateLimiter = (env: LoginRateLimitEnv = getEnv()): LoginRateLimiter => {
  appLimiter ??= createLoginRateLimiter(getAppLoginRateLimitSettings(env))
  return appLimiter
}

/** The plugin's options for this app, with the one limiter the second-factor check shares. */
export const getLoginRateLimitOptions = (env: LoginRateLimitEnv): LoginRateLimitPluginOptions => ({
  ...getAppLoginRateLimitSettings(env),
  limiter: getLoginRateLimiter(env),
})
