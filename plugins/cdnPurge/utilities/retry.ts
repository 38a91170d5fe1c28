/**
 * `Retry-After` as milliseconds from now: delta-seconds or an HTTP date (RFC 9110, 10.2.3);
 * undefined when absent or unreadable.
 */
export const parseRetryAfter = (
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined => {
  const text = value?.trim()
  if (!text) return undefined
  if (/^\d+$/.test(text)) return Number(text) * 1000
  const date = Date.parse(text)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/**
 * How long to wait before attempt `attempt + 1`: what the server asked for, else exponential
 * backoff from `baseDelayMs`; never more than `maxDelayMs`.
 */
export const retryDelayMs = ({
  attempt,
  retryAfterMs,
  baseDelayMs,
  maxDelayMs,
}: {
  attempt: number
  retryAfterMs?: number
  baseDelayMs: number
  maxDelayMs: number
}): number => Math.min(maxDelayMs, retryAfterMs ?? baseDelayMs * 2 ** (attempt - 1))
