import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

import type { CdnPurgeEvent } from '../types'
import { chunkByCount } from './chunks'
import {
  createPurgeQueue,
  type CallResult,
  type PurgeCall,
  type PurgeTransport,
} from './purgeQueue'
import { sanitizePurgerSettings } from './sanitizeOptions'

type FakeTarget = {
  calls: PurgeCall[]
  /** What the next calls answer, in order; `success` once these are used up. */
  answers: CallResult[]
  /** While set, every call waits for this before answering. */
  gate?: Promise<void>
}

const createFakeTransport = (target: FakeTarget, maxPerCall = 100): PurgeTransport => ({
  name: 'cloudflare',
  chunkKeys: (keys) => chunkByCount(keys, maxPerCall),
  chunkFiles: (files) => chunkByCount(files, maxPerCall),
  send: async (call) => {
    target.calls.push(call)
    await target.gate
    return target.answers.shift() ?? { outcome: 'success', status: 200 }
  },
})

const setup = ({ maxPerCall = 100, maxCallsPerBatch = 3 } = {}) => {
  const target: FakeTarget = { calls: [], answers: [] }
  const events: CdnPurgeEvent[] = []
  const errors: Record<string, unknown>[] = []
  const queue = createPurgeQueue({
    transport: createFakeTransport(target, maxPerCall),
    settings: sanitizePurgerSettings({
      batchWindowMs: 100,
      maxCallsPerBatch,
      retry: {
        attempts: 3,
        baseDelayMs: 500,
        maxDelayMs: 10_000,
        fallbackRounds: 2,
        fallbackDelayMs: 30_000,
      },
      onEvent: (event) => events.push(event),
    }),
    logger: { error: (fields) => errors.push(fields) },
  })
  return { target, events, errors, queue }
}

const keysOf = (index: number) => ({
  keys: [`d:items:${index}`, 'd:items:*', 'l:items'],
  coarseKeys: ['c:items'],
})

beforeEach(() => {
  vi.useFakeTimers()
})

afterEach(() => {
  vi.useRealTimers()
})

describe('the purge queue: batching and coalescing', () => {
  it('should send a burst of requests as one call with every key once', async () => {
    const { target, queue } = setup()
    for (let index = 0; index < 20; index++) queue.purge(keysOf(index))
    await vi.advanceTimersByTimeAsync(99)
    expect(target.calls).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    expect(target.calls).toHaveLength(1)
    const sent = target.calls[0].keys ?? []
    expect(sent).toHaveLength(22)
    expect(new Set(sent).size).toBe(22)
  })

  it('should gather what arrives while a call is out into the next call', async () => {
    const { target, queue } = setup()
    let open = () => undefined as void
    target.gate = new Promise<void>((resolve) => (open = resolve))
    queue.purge(keysOf(0))
    await vi.advanceTimersByTimeAsync(100)
    expect(target.calls).toHaveLength(1)
    for (let index = 1; index <= 30; index++) queue.purge(keysOf(index))
    await vi.advanceTimersByTimeAsync(1000)
    expect(target.calls).toHaveLength(1)
    target.gate = undefined
    open()
    await queue.flush()
    expect(target.calls).toHaveLength(2)
    expect(target.calls[1].keys).toHaveLength(32)
  })

  it('should send the coarse keys when the precise ones need too many calls', async () => {
    const { target, queue } = setup({ maxPerCall: 10, maxCallsPerBatch: 2 })
    for (let index = 0; index < 25; index++) queue.purge(keysOf(index))
    await queue.flush()
    expect(target.calls).toEqual([{ keys: ['c:items'] }])
  })

  it('should split keys and file URLs into calls within the target limit', async () => {
    const { target, queue } = setup({ maxPerCall: 2 })
    queue.purge({
      keys: ['a', 'b', 'c'],
      coarseKeys: ['c:x'],
      files: ['https://m/1', 'https://m/2'],
    })
    await queue.flush()
    expect(target.calls).toEqual([
      { keys: ['a', 'b'] },
      { keys: ['c'] },
      { files: ['https://m/1', 'https://m/2'] },
    ])
  })

  it('should report each call and each batch purged', async () => {
    const { events, queue } = setup()
    queue.purge(keysOf(1))
    await queue.flush()
    expect(events).toEqual([
      { type: 'request', target: 'cloudflare', outcome: 'success' },
      { type: 'purged', target: 'cloudflare', keys: 3, files: 0, seconds: expect.any(Number) },
    ])
  })
})

describe('the purge queue: retries and fallback', () => {
  it("should wait for a 429's Retry-After before trying again", async () => {
    const { target, queue, events } = setup()
    target.answers.push({ outcome: 'rate_limited', status: 429, retryAfterMs: 5000 })
    queue.purge(keysOf(1))
    await vi.advanceTimersByTimeAsync(100)
    expect(target.calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(4999)
    expect(target.calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(target.calls).toHaveLength(2)
    await queue.flush()
    expect(events.map((event) => event.type === 'request' && event.outcome)).toEqual([
      'rate_limited',
      'success',
      false,
    ])
  })

  it('should fall back to the coarse keys after every attempt failed, and log it', async () => {
    const { target, queue, events, errors } = setup()
    const serverError: CallResult = { outcome: 'server_error', status: 500, detail: 'HTTP 500' }
    target.answers.push(serverError, serverError, serverError)
    queue.purge(keysOf(1))
    queue.purge({ keys: ['g:settings'], coarseKeys: ['g:settings'] })
    await vi.advanceTimersByTimeAsync(5000)
    expect(target.calls).toHaveLength(4)
    expect(target.calls.at(-1)).toEqual({ keys: ['c:items', 'g:settings'] })
    expect(events).toContainEqual({ type: 'failure', target: 'cloudflare', stage: 'fallback' })
    expect(errors).toEqual([
      expect.objectContaining({ target: 'cloudflare', outcome: 'server_error', status: 500 }),
    ])
  })

  it('should not retry a refusal, and give up after the fallback rounds', async () => {
    const { target, queue, events } = setup()
    const refusal: CallResult = { outcome: 'client_error', status: 403, detail: '10000: auth' }
    target.answers.push(refusal, refusal, refusal, refusal)
    queue.purge(keysOf(1))
    await vi.advanceTimersByTimeAsync(100)
    expect(target.calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(100_000)
    await queue.flush()
    expect(target.calls).toHaveLength(3)
    expect(events.filter((event) => event.type === 'failure')).toEqual([
      { type: 'failure', target: 'cloudflare', stage: 'fallback' },
      { type: 'failure', target: 'cloudflare', stage: 'fallback' },
      { type: 'failure', target: 'cloudflare', stage: 'abandoned' },
    ])
  })

  it('should send delayed fallbacks once more when stopped', async () => {
    const { target, queue } = setup()
    const serverError: CallResult = { outcome: 'server_error', status: 503 }
    target.answers.push(...Array.from({ length: 6 }, () => serverError))
    queue.purge(keysOf(1))
    // Three attempts, then three more with the coarse keys; the next round waits 30 s.
    await vi.advanceTimersByTimeAsync(10_000)
    expect(target.calls).toHaveLength(6)
    await queue.stop()
    expect(target.calls.at(-1)).toEqual({ keys: ['c:items'] })
  })
})
