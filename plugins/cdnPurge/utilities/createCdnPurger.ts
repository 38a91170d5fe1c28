import { createCloudflareTransport } from '../targets/cloudflare'
import { createHttpCacheTransport } from '../targets/httpCache'
import type { PurgerSettings, PurgeRequest, PurgeTargets } from '../types'
import { createPurgeQueue, type PurgeLogger } from './purgeQueue'
import { sanitizePurgerSettings } from './sanitizeOptions'

export type CdnPurger = {
  /** Queues a purge on every target; returns at once. */
  purge: (request: PurgeRequest) => void
  /** Resolves once everything queued so far has been sent (or has failed its attempts). */
  flush: () => Promise<void>
  /**
   * Sends what is still queued, delayed coarser retries included, for up to `timeoutMs`, then
   * stops: for a process about to exit.
   */
  stop: (options?: { timeoutMs?: number }) => Promise<void>
}

export type CreateCdnPurgerArgs = PurgerSettings & {
  targets: PurgeTargets
  /** Where failures are written: `payload.logger`, or any pino-like logger. */
  logger: PurgeLogger
  /** For Cloudflare's API. @default globalThis.fetch */
  fetch?: typeof fetch
}

/**
 * Purges every configured target, each through its own queue: a slow or failing target never
 * holds up another. Usable without Payload (an operator's script), see `cdnPurgePlugin` for the
 * instance's own purger.
 */
export const createCdnPurger = ({
  targets,
  logger,
  fetch,
  ...settings
}: CreateCdnPurgerArgs): CdnPurger => {
  const sanitized = sanitizePurgerSettings(settings)
  const { requestTimeoutMs } = sanitized
  const transports = [
    ...(targets.cloudflare
      ? [createCloudflareTransport({ options: targets.cloudflare, requestTimeoutMs, fetch })]
      : []),
    ...(targets.httpCaches ?? []).map((baseUrl) =>
      createHttpCacheTransport({ baseUrl, requestTimeoutMs }),
    ),
  ]
  const queues = transports.map((transport) =>
    createPurgeQueue({ transport, settings: sanitized, logger }),
  )
  return {
    purge: (request) => {
      for (const queue of queues) queue.purge(request)
    },
    flush: async () => {
      await Promise.all(queues.map((queue) => queue.flush()))
    },
    stop: async ({ timeoutMs = 5_000 } = {}) => {
      let timer: NodeJS.Timeout | undefined
      await Promise.race([
        Promise.all(queues.map((queue) => queue.stop())),
        new Promise((resolve) => {
          timer = setTimeout(resolve, timeoutMs)
        }),
      ])
      clearTimeout(timer)
    },
  }
}
