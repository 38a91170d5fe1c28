/**
 * SQLSTATEs of a server that cannot serve anyone right now: class 08 (connection exception), and
 * admin shutdown, crash shutdown, "cannot connect now" (starting up, shutting down, in recovery)
 * and too many connections.
 */
const unavailableStates = new Set(['57P01', '57P02', '57P03', '53300'])

/** Socket errors of a server that cannot be reached, or that dropped the connection. */
const socketErrorCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
])

const isUnavailableCode = (code: unknown): boolean =>
  typeof code === 'string' &&
  (/^08[0-9A-Z]{3}$/.test(code) || unavailableStates.has(code) || socketErrorCodes.has(code))

/**
 * What node-postgres and its pool say without a code, and what is left of a coded error once a
 * wrapper kept only its message (Payload's "cannot begin transaction: …"). Codes are checked
 * first: a server may send its messages in another language.
 */
const unavailableMessages = [
  /Connection terminated/,
  /timeout exceeded when trying to connect/,
  /is not queryable/,
  /\b(connect|read|write) (ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH)\b/,
  /\bgetaddrinfo (ENOTFOUND|EAI_AGAIN)\b/,
  /terminating connection due to administrator command/,
  /the database system is (starting up|shutting down|in recovery mode|not yet accepting connections)/,
  /is not currently accepting connections/,
  /sorry, too many clients already|remaining connection slots are reserved/,
]

type ErrorLike = {
  code?: unknown
  message?: unknown
  status?: unknown
  cause?: unknown
  originalError?: unknown
  errors?: unknown
  $metadata?: unknown
}

const isUnavailableFailure = (candidate: ErrorLike): boolean =>
  isUnavailableCode(candidate.code) ||
  (typeof candidate.message === 'string' &&
    unavailableMessages.some((pattern) => pattern.test(candidate.message as string)))

/** What an error wraps: GraphQL's original error, a cause, the attempts of an AggregateError. */
const wrappedErrors = ({ originalError, cause, errors }: ErrorLike): unknown[] => [
  originalError,
  cause,
  ...(Array.isArray(errors) ? errors : []),
]

/**
 * The error in `error`'s chain that says the database cannot be reached, or undefined. An error
 * that already carries a status other than 500 is an answer someone chose (a refusal, the media
 * storage's 503), and an error of the AWS SDK (it has `$metadata`) is the bucket's, never the
 * database's, even when its socket error reads the same.
 */
export const findDatabaseUnavailableCause = (error: unknown): ErrorLike | undefined => {
  const top = error as ErrorLike | null | undefined
  if (typeof top?.status === 'number' && top.status !== 500) return undefined
  const queue: unknown[] = [error]
  for (let seen = 0; queue.length > 0 && seen < 10; seen++) {
    const current = queue.shift()
    if (!current || typeof current !== 'object') continue
    const candidate = current as ErrorLike
    if (candidate.$metadata !== undefined) return undefined
    if (isUnavailableFailure(candidate)) return candidate
    queue.push(...wrappedErrors(candidate))
  }
  return undefined
}

/** Whether a request failed because the database could not be reached (not because of the request). */
export const isDatabaseUnavailableError = (error: unknown): boolean =>
  findDatabaseUnavailableCause(error) !== undefined

/** What a client gets instead: nothing about hosts, ports or drivers, and what to do. */
export const databaseUnavailableMessage = 'The database is unavailable; retry in a few seconds.'

/** Retry-After of those answers: a restart or failover of PostgreSQL takes seconds. */
export const databaseRetryAfterSeconds = 5
