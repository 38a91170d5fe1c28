import type { AppMetrics } from '../observability/metrics'
import { clientIpHeader } from '../observability/requestId'
import type { RouteTable } from '../routes'
import { answered, sendError, type Middleware } from './types'

type SignInRefusalsArgs = {
  routeTable: RouteTable
  metrics: AppMetrics
  /** How long until the address may try to sign in again, when a recent refusal says so; else 0. */
  msBeforeRetry: (address: string) => number
  /** The 429's Retry-After, message and data, as the login rate limit plugin words them. */
  describeRefusal: (msBeforeRetry: number) => {
    retryAfter: string
    message: string
    data: unknown
  }
}

/**
 * An address refused moments ago is refused again here, before anything else is done for it
 * (Next.js, Payload, even the token check): what a flood of sign-in attempts costs. Requests with
 * an Origin go on, so a partner site's page gets Payload's CORS headers with its 429.
 */
export const signInRefusalsMiddleware =
  ({ routeTable, metrics, msBeforeRetry, describeRefusal }: SignInRefusalsArgs): Middleware =>
  (context) => {
    const { req, res, pathname } = context
    if (req.method !== 'POST' || !routeTable.isSignInPath(pathname) || req.headers.origin) return
    const waitMs = msBeforeRetry(String(req.headers[clientIpHeader]))
    if (waitMs <= 0) return
    const { retryAfter, message, data } = describeRefusal(waitMs)
    metrics.rateLimitRejections.inc({ limiter: 'login-ip' })
    res.setHeader('Retry-After', retryAfter)
    sendError(context, 429, { message, data })
    return answered
  }
