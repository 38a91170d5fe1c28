import type { PurgeOutcome } from '../types'

/** A call's outcome from its HTTP status. */
export const outcomeOfStatus = (status: number): PurgeOutcome => {
  if (status === 429) return 'rate_limited'
  if (status >= 500) return 'server_error'
  if (status >= 400 || status < 200) return 'client_error'
  return 'success'
}

/** `text` with every occurrence of `secret` replaced: for anything that may be logged. */
export const redactSecret = (text: string, secret: string | undefined): string =>
  secret ? text.split(secret).join('[redacted]') : text

/** What failed about a call that got no answer: fetch's message and its cause's code. */
export const describeNetworkError = (error: unknown): string => {
  const message = error instanceof Error ? error.message : String(error)
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause
  const code = cause?.code ?? cause?.message
  return code === undefined ? message : `${message} (${String(code)})`
}
