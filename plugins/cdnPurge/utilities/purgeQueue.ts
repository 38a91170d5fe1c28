import type { PurgeOutcome, PurgeRequest, PurgeTargetName } from '../types'
import { createBatcher } from './batcher'
import { retryDelayMs } from './retry'
import type { SanitizedPurgerSettings } from './sanitizeOptions'
import type { TokenBucket } from './tokenBucket'

/** One call to a target: keys, or file URLs (Cloudflare takes one kind per call). */
export type PurgeCall = { keys: string[]; files?: never } | { files: string[]; keys?: never }

/** How a call went; `detail` says why not, in words safe to log (no credentials). */
export type CallResult = {
  outcome: PurgeOutcome
  status?: number
  retryAfterMs?: number
  detail?: string
}

/** A purge target as the queue sees it: how to cut work into calls, and how to send one. */
export type PurgeTransport = {
  name: PurgeTargetName
  chunkKeys: (keys: string[]) => string[][]
  chunkFiles: (files: string[]) => string[][]
  /** Never rejects: a failure is a result. */
  send: (call: PurgeCall) => Promise<CallResult>
  /** The target's rate limit, when it has one. */
  rateLimit?: TokenBucket
}

export type PurgeLogger = { error: (fields: Record<string, unknown>) => void }

type QueuedPurge = {
  keys: readonly string[]
  coarseKeys: readonly string[]
  files: readonly string[]
  enqueuedAt: number
  /** 0 for a request; n for the n-th coarser retry of a batch that failed. */
  round: number
}

type PurgeQueueArgs = {
  transport: PurgeTransport
  settings: SanitizedPurgerSettings
  logger: PurgeLogger
  now?: () => number
}

const unique = (values: Iterable<string>) => [...new Set(values)]

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

type Sender = { transport: PurgeTransport; settings: SanitizedPurgerSettings }

const waitForRateLimit = async ({ rateLimit }: PurgeTransport) => {
  for (let wait = rateLimit?.take() ?? 0; wait > 0; wait = rateLimit?.take() ?? 0) await sleep(wait)
}

/** One call, retried while retrying may help: 429 (after its Retry-After), 5xx, network errors. */
const callWithRetries = async ({ transport, settings }: Sender, call: PurgeCall) => {
  for (let attempt = 1; ; attempt++) {
    await waitForRateLimit(transport)
    const result = await transport.send(call)
    settings.onEvent({ type: 'request', target: transport.name, outcome: result.outcome })
    const isFinal =
      result.outcome === 'success' ||
      result.outcome === 'client_error' ||
      attempt >= settings.attempts
    if (isFinal) return result
    await sleep(retryDelayMs({ attempt, retryAfterMs: result.retryAfterMs, ...settings }))
  }
}

/** Sends the calls in order; stops at the first that fails for good and returns its result. */
const sendAll = async (sender: Sender, calls: PurgeCall[]): Promise<CallResult | undefined> => {
  for (const call of calls) {
    const result = await callWithRetries(sender, call)
    if (result.outcome !== 'success') return result
  }
  return undefined
}

/** The calls of a batch: its keys (the coarse ones when the precise need too many calls), files. */
const planBatch = ({ transport, settings }: Sender, batch: QueuedPurge[]) => {
  const coarseKeys = unique(batch.flatMap((queued) => queued.coarseKeys))
  const preciseChunks = transport.chunkKeys(unique(batch.flatMap((queued) => queued.keys)))
  const keyChunks =
    preciseChunks.length > settings.maxCallsPerBatch
      ? transport.chunkKeys(coarseKeys)
      : preciseChunks
  return {
    coarseKeys,
    keyChunks,
    files: unique(batch.flatMap((queued) => queued.files)),
    round: Math.max(...batch.map((queued) => queued.round)),
    enqueuedAt: Math.min(...batch.map((queued) => queued.enqueuedAt)),
  }
}

/**
 * The purges of one target, batched and sent one call at a time. The first request of a burst
 * waits `batchWindowMs` for others; whatever arrives while a call is out joins the next one. So
 * many changes in a burst make few calls, and a slow or rate-limited target coalesces more.
 * Each call is retried (429 after its `Retry-After`, 5xx, network errors, with backoff); a batch
 * that fails every attempt is logged, counted and tried again later by its coarse keys, for a few
 * rounds, then given up.
 */
export const createPurgeQueue = ({
  transport,
  settings,
  logger,
  now = Date.now,
}: PurgeQueueArgs) => {
  const sender: Sender = { transport, settings }
  const delayed = new Map<NodeJS.Timeout, QueuedPurge>()

  /** A batch failed every attempt: logged, counted, and its retry scheduled unless given up. */
  const fallBack = (failure: CallResult, retry: QueuedPurge) => {
    const isAbandoned = retry.round > settings.fallbackRounds
    const stage = isAbandoned ? 'abandoned' : 'fallback'
    settings.onEvent({ type: 'failure', target: transport.name, stage })
    logger.error({
      msg: isAbandoned
        ? 'CDN purge failed for good: the edge may serve stale answers until their s-maxage'
        : 'CDN purge failed; retrying later with coarser keys',
      target: transport.name,
      outcome: failure.outcome,
      status: failure.status,
      detail: failure.detail,
      keys: retry.keys.length,
      files: retry.files.length,
      round: retry.round - 1,
    })
    if (isAbandoned) return
    const timer = setTimeout(
      () => {
        delayed.delete(timer)
        batcher.add(retry)
      },
      settings.fallbackDelayMs * (retry.round - 1),
    )
    timer.unref()
    delayed.set(timer, retry)
  }

  const sendBatch = async (batch: QueuedPurge[]) => {
    const plan = planBatch(sender, batch)
    const keyFailure = await sendAll(
      sender,
      plan.keyChunks.map((keys) => ({ keys })),
    )
    const fileChunks = transport.chunkFiles(plan.files).map((files) => ({ files }))
    const fileFailure = await sendAll(sender, fileChunks)
    const failure = keyFailure ?? fileFailure
    if (failure) {
      return fallBack(failure, {
        keys: keyFailure ? plan.coarseKeys : [],
        coarseKeys: plan.coarseKeys,
        files: fileFailure ? plan.files : [],
        enqueuedAt: now(),
        round: plan.round + 1,
      })
    }
    settings.onEvent({
      type: 'purged',
      target: transport.name,
      keys: plan.keyChunks.reduce((sum, chunk) => sum + chunk.length, 0),
      files: plan.files.length,
      seconds: (now() - plan.enqueuedAt) / 1000,
    })
  }

  const batcher = createBatcher<QueuedPurge>({
    windowMs: settings.batchWindowMs,
    send: sendBatch,
    onError: (error) =>
      logger.error({
        err: error,
        msg: 'CDN purge batch failed unexpectedly',
        target: transport.name,
      }),
  })

  return {
    purge: ({ keys, coarseKeys, files = [] }: PurgeRequest) => {
      if (keys.length === 0 && files.length === 0) return
      batcher.add({ keys, coarseKeys, files, enqueuedAt: now(), round: 0 })
    },
    /** Resolves once everything queued so far (not the delayed coarser retries) has been sent. */
    flush: batcher.flush,
    /** Sends what is queued, the delayed retries included, once, then stops. */
    stop: async () => {
      for (const [timer, queued] of delayed) {
        clearTimeout(timer)
        batcher.add({ ...queued, round: settings.fallbackRounds + 1 })
      }
      delayed.clear()
      await batcher.flush()
    },
  }
}

export type PurgeQueue = ReturnType<typeof createPurgeQueue>
