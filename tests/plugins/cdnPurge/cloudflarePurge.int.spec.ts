import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

import {
  createCdnPurger,
  type CdnPurgeEvent,
  type CdnPurger,
  type CreateCdnPurgerArgs,
} from '../../../plugins/cdnPurge'
import { startFakeCloudflare, type FakeCloudflare } from '../../helpers/fakeCloudflare'
import { waitUntil } from '../../helpers/waitUntil'

/**
 * The purger against a local server that checks every call against Cloudflare's documented purge
 * API (tests/helpers/fakeCloudflare.ts). The logger here writes what it is given, unscrubbed: the
 * plugin itself must keep the token out of it.
 */
let cloudflare: FakeCloudflare
let purger: CdnPurger | undefined

beforeAll(async () => {
  cloudflare = await startFakeCloudflare()
})

afterAll(async () => {
  await cloudflare.close()
})

afterEach(async () => {
  await purger?.stop()
  purger = undefined
  cloudflare.calls.length = 0
})

type Harness = { events: CdnPurgeEvent[]; logged: string[]; purger: CdnPurger }

const startPurger = (overrides: Partial<CreateCdnPurgerArgs> = {}): Harness => {
  const events: CdnPurgeEvent[] = []
  const logged: string[] = []
  purger = createCdnPurger({
    targets: {
      cloudflare: {
        apiBase: cloudflare.apiBase,
        zoneId: cloudflare.zoneId,
        apiToken: cloudflare.apiToken,
        maxRequestsPerSecond: 100,
        burst: 100,
      },
    },
    logger: { error: (fields) => logged.push(JSON.stringify(fields)) },
    batchWindowMs: 20,
    retry: { attempts: 3, baseDelayMs: 20, fallbackDelayMs: 50, fallbackRounds: 1 },
    onEvent: (event) => events.push(event),
    ...overrides,
  })
  return { events, logged, purger }
}

const itemKeys = (count: number) =>
  Array.from({ length: count }, (_, index) => ({
    keys: [`d:items:${index}`, 'd:items:*', 'l:items:*', 'l:items:price'],
    coarseKeys: ['c:items'],
  }))

describe('purging Cloudflare by tag', () => {
  it('should send valid calls to the zone with the Bearer token, at most 100 tags each', async () => {
    const { purger } = startPurger({ maxCallsPerBatch: 10 })
    for (const request of itemKeys(250)) purger.purge(request)
    await purger.flush()
    expect(cloudflare.calls.map((call) => call.problems)).toEqual([[], [], []])
    expect(cloudflare.calls.map((call) => call.tags?.length)).toEqual([100, 100, 53])
    const sent = new Set(cloudflare.calls.flatMap((call) => call.tags ?? []))
    expect(sent.size).toBe(253)
    expect(sent.has('d:items:249')).toBe(true)
  })

  it('should batch a burst of changes into one call', async () => {
    const { purger } = startPurger()
    for (const request of itemKeys(40)) purger.purge(request)
    await purger.flush()
    expect(cloudflare.calls).toHaveLength(1)
    expect(cloudflare.calls[0].tags).toHaveLength(43)
  })

  it('should purge deleted files by URL, in calls of their own', async () => {
    const { purger } = startPurger()
    const files = [
      'https://media.example.com/media/a.jpg',
      'https://media.example.com/media/a-320x240.jpg',
    ]
    purger.purge({ keys: ['d:media:1'], coarseKeys: ['c:media'], files })
    await purger.flush()
    expect(
      cloudflare.calls.map(({ tags, files: urls, problems }) => ({ tags, urls, problems })),
    ).toEqual([
      { tags: ['d:media:1'], urls: undefined, problems: [] },
      { tags: undefined, urls: files, problems: [] },
    ])
  })

  it("should wait for a 429's Retry-After, then succeed", async () => {
    const { purger, events } = startPurger({ retry: { attempts: 3, baseDelayMs: 10 } })
    cloudflare.answerNext({ status: 429, retryAfter: '1', messages: ['Rate limited'] })
    purger.purge(itemKeys(1)[0])
    await purger.flush()
    const [limited, retried] = cloudflare.calls
    expect([limited.status, retried.status]).toEqual([429, 200])
    // Retry-After said a second; the backoff alone would have waited 10 ms.
    expect(retried.at - limited.at).toBeGreaterThanOrEqual(950)
    expect(events.filter((event) => event.type === 'request')).toEqual([
      { type: 'request', target: 'cloudflare', outcome: 'rate_limited' },
      { type: 'request', target: 'cloudflare', outcome: 'success' },
    ])
  })

  it('should keep to the configured rate', async () => {
    const { purger } = startPurger({
      targets: {
        cloudflare: {
          apiBase: cloudflare.apiBase,
          zoneId: cloudflare.zoneId,
          apiToken: cloudflare.apiToken,
          maxRequestsPerSecond: 4,
          burst: 1,
        },
      },
      maxCallsPerBatch: 10,
    })
    for (const request of itemKeys(250)) purger.purge(request)
    await purger.flush()
    const [first, , third] = cloudflare.calls
    expect(cloudflare.calls).toHaveLength(3)
    // One call at once, then one every 250 ms.
    expect(third.at - first.at).toBeGreaterThanOrEqual(450)
  })

  it('should retry 5xx, then fall back to the coarse keys, logging and counting the failure', async () => {
    const { purger, events, logged } = startPurger()
    cloudflare.answerNext({ status: 500 }, { status: 502 }, { status: 503 })
    for (const request of itemKeys(3)) purger.purge(request)
    purger.purge({ keys: ['g:site-settings'], coarseKeys: ['g:site-settings'] })
    await purger.flush()
    // The coarse round is scheduled after the failed one; wait for it rather than for a fixed time.
    await waitUntil('the coarse purge', () => cloudflare.calls.length >= 4)
    await purger.flush()
    expect(cloudflare.calls.map((call) => call.status)).toEqual([500, 502, 503, 200])
    expect(cloudflare.calls[3].tags).toEqual(['c:items', 'g:site-settings'])
    expect(events).toContainEqual({ type: 'failure', target: 'cloudflare', stage: 'fallback' })
    expect(logged).toHaveLength(1)
    expect(JSON.parse(logged[0])).toMatchObject({
      msg: 'CDN purge failed; retrying later with coarser keys',
      target: 'cloudflare',
      status: 503,
    })
  })

  it('should never send purge_everything, even when everything failed', async () => {
    const { purger, events } = startPurger()
    cloudflare.answerNext(...Array.from({ length: 6 }, () => ({ status: 500 })))
    purger.purge(itemKeys(1)[0])
    await purger.flush()
    await waitUntil('the purge to be abandoned', () =>
      events.some((event) => event.type === 'failure' && event.stage === 'abandoned'),
    )
    await purger.flush()
    expect(cloudflare.calls).toHaveLength(6)
    expect(cloudflare.calls.flatMap((call) => call.problems)).toEqual([])
    expect(events.filter((event) => event.type === 'failure').map((event) => event.stage)).toEqual([
      'fallback',
      'abandoned',
    ])
  })

  it('should keep the token out of logs, events and error details, even if an answer echoes it', async () => {
    const { purger, events, logged } = startPurger({
      retry: { attempts: 1, fallbackRounds: 0 },
    })
    cloudflare.answerNext({ status: 400, messages: [`bad token ${cloudflare.apiToken} given`] })
    purger.purge(itemKeys(1)[0])
    await purger.flush()
    expect(logged).toHaveLength(1)
    expect(logged[0]).toContain('bad token [redacted] given')
    expect(logged.join('\n')).not.toContain(cloudflare.apiToken)
    expect(JSON.stringify(events)).not.toContain(cloudflare.apiToken)
  })

  it("should describe a refused token by Cloudflare's error, without the token", async () => {
    const { purger, logged } = startPurger({
      targets: {
        cloudflare: {
          apiBase: cloudflare.apiBase,
          zoneId: cloudflare.zoneId,
          apiToken: 'a-revoked-token-0123456789abcdef',
          maxRequestsPerSecond: 100,
        },
      },
      retry: { attempts: 3, fallbackRounds: 0 },
    })
    purger.purge(itemKeys(1)[0])
    await purger.flush()
    // A refusal is not retried: another attempt would be refused the same way.
    expect(cloudflare.calls.map((call) => call.status)).toEqual([403])
    expect(JSON.parse(logged[0])).toMatchObject({
      status: 403,
      detail: '1000: Authentication error',
    })
    expect(logged[0]).not.toContain('a-revoked-token-0123456789abcdef')
  })
})
