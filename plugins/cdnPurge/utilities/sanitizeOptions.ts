import {
  defaultBatchWindowMs,
  defaultFallbackDelayMs,
  defaultFallbackRounds,
  defaultMaxCallsPerBatch,
  defaultRequestTimeoutMs,
  defaultRetryAttempts,
  defaultRetryBaseDelayMs,
  defaultRetryMaxDelayMs,
} from '../defaults'
import type { CdnPurgeEvent, PurgerSettings, PurgeTargets } from '../types'

export type SanitizedPurgerSettings = {
  batchWindowMs: number
  maxCallsPerBatch: number
  attempts: number
  baseDelayMs: number
  maxDelayMs: number
  fallbackRounds: number
  fallbackDelayMs: number
  requestTimeoutMs: number
  /** Never throws: a failing listener must not stop a purge. */
  onEvent: (event: CdnPurgeEvent) => void
}

/** Every default applied once. */
export const sanitizePurgerSettings = ({
  batchWindowMs = defaultBatchWindowMs,
  maxCallsPerBatch = defaultMaxCallsPerBatch,
  retry = {},
  requestTimeoutMs = defaultRequestTimeoutMs,
  onEvent,
}: PurgerSettings): SanitizedPurgerSettings => ({
  batchWindowMs,
  maxCallsPerBatch: Math.max(1, maxCallsPerBatch),
  attempts: Math.max(1, retry.attempts ?? defaultRetryAttempts),
  baseDelayMs: retry.baseDelayMs ?? defaultRetryBaseDelayMs,
  maxDelayMs: retry.maxDelayMs ?? defaultRetryMaxDelayMs,
  fallbackRounds: retry.fallbackRounds ?? defaultFallbackRounds,
  fallbackDelayMs: retry.fallbackDelayMs ?? defaultFallbackDelayMs,
  requestTimeoutMs,
  onEvent: (event) => {
    try {
      onEvent?.(event)
    } catch {
      // Metrics are not worth a lost purge.
    }
  },
})

/** Whether any target is configured: without one there is nothing to purge. */
export const hasPurgeTargets = (targets: PurgeTargets | undefined): boolean =>
  Boolean(targets?.cloudflare) || (targets?.httpCaches?.length ?? 0) > 0
