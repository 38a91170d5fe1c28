import type { LoginRefusalMemory } from '../types'

/**
 * Remembers, for a few seconds, the client addresses this process has just refused for too many
 * sign-in attempts, so their next requests are refused without a database round trip — and, in the
 * HTTP server in front of Next.js, without entering Payload at all. A flood from one address then
 * costs microseconds per request instead of a trip through the framework and the counters' table.
 *
 * Only a short memory: after `refusalMemoryMs` the database is asked again, so an operator who
 * lifts an address's limit (deletes its counter rows) sees it take effect within seconds on every
 * replica. The Retry-After given is still the counter's own.
 */
export const refusalMemoryMs = 10_000

/** Beyond this many remembered addresses, new refusals are not remembered (the database decides). */
const maxRememberedAddresses = 10_000

type Remembered = { askAgainAt: number; retryAt: number }

export const createLoginRefusalMemory = (now: () => number = Date.now): LoginRefusalMemory => {
  const remembered = new Map<string, Remembered>()
  const forgetExpired = (at: number) => {
    for (const [address, entry] of remembered)
      if (entry.askAgainAt <= at) remembered.delete(address)
  }
  return {
    remember: (address, msBeforeRetry) => {
      const at = now()
      if (remembered.size >= maxRememberedAddresses) forgetExpired(at)
      if (remembered.size >= maxRememberedAddresses && !remembered.has(address)) return
      remembered.set(address, {
        askAgainAt: at + Math.min(msBeforeRetry, refusalMemoryMs),
        retryAt: at + msBeforeRetry,
      })
    },
    msBeforeRetry: (address) => {
      const entry = remembered.get(address)
      if (!entry) return 0
      const at = now()
      if (at >= entry.askAgainAt) {
        remembered.delete(address)
        return 0
      }
      return entry.retryAt - at
    },
  }
}

/** The whole seconds a client is told to wait (Retry-After), at least 1. */
export const toRetryAfterSeconds = (msBeforeRetry: number): number =>
  Math.max(1, Math.ceil(msBeforeRetry / 1000))

const describeWait = (seconds: number) =>
  seconds >= 120 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} seconds`

export const tooManySignInAttemptsMessage = (seconds: number): string =>
  `Too many sign-in attempts. Try again in ${describeWait(seconds)}.`

/** A 429 for a sign-in, as Payload and the HTTP server both answer it: Retry-After, message, data. */
export const describeSignInRefusal = (msBeforeRetry: number) => {
  const seconds = toRetryAfterSeconds(msBeforeRetry)
  return {
    retryAfter: String(seconds),
    message: tooManySignInAttemptsMessage(seconds),
    data: { retryAfterSeconds: seconds },
  }
}
