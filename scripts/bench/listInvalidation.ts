import type { RunningApp } from '../../tests/setup/appServer'
import { browserAcceptEncoding, requestRaw } from './httpProbe'
import { median, percentile, type BenchRow, type TargetCheck } from './report'

type ListInvalidationArgs = {
  /** The replica that takes the changes. */
  writer: RunningApp
  /** The replica whose cached list must follow. */
  reader: RunningApp
  /** `JWT …` of an editor or admin. */
  authorization: string
  /** The list read, cached on `reader`, that shows every item in `itemIds`. */
  listPath: string
  itemIds: readonly number[]
  changeCount: number
}

const readEtag = async (url: string, ifNoneMatch?: string) => {
  const response = await requestRaw(url, {
    headers: {
      'Accept-Encoding': browserAcceptEncoding,
      ...(ifNoneMatch ? { 'If-None-Match': ifNoneMatch } : {}),
    },
  })
  return { etag: response.headers.etag, outcome: String(response.headers['x-cache'] ?? 'none') }
}

/**
 * (o) items of one category renamed through `writer`'s REST API, one after another; after each,
 * `reader`'s cached list of that category is revalidated as a CDN or browser would (If-None-Match
 * with the ETag it had) until it names a new ETag. Timed from the writer's answer (the change is
 * committed): the notification, the eviction, and the reader's refill from Payload.
 */
export const measureListInvalidation = async ({
  writer,
  reader,
  authorization,
  listPath,
  itemIds,
  changeCount,
}: ListInvalidationArgs) => {
  const listUrl = `${reader.url}${listPath}`
  const invalidationMs: number[] = []
  const patchMs: number[] = []
  let answeredByRefill = 0
  for (let index = 0; index < changeCount; index++) {
    const { etag: before } = await readEtag(listUrl)
    if (!before) throw new Error(`replica B answered ${listPath} without an ETag`)
    const itemId = itemIds[index % itemIds.length]
    const patchStarted = performance.now()
    const patch = await requestRaw(`${writer.url}/api/items/${itemId}`, {
      method: 'PATCH',
      headers: { Authorization: authorization, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: `Bench item ${itemId}, renamed ${index}` }),
    })
    if (patch.status !== 200) throw new Error(`renaming item ${itemId} answered ${patch.status}`)
    const started = performance.now()
    patchMs.push(started - patchStarted)
    for (;;) {
      const { etag, outcome } = await readEtag(listUrl, before)
      if (etag && etag !== before) {
        if (outcome === 'MISS') answeredByRefill += 1
        break
      }
      if (performance.now() - started > 10_000) throw new Error('replica B never served the rename')
    }
    invalidationMs.push(performance.now() - started)
  }
  const sorted = [...invalidationMs].sort((a, b) => a - b)
  const row: BenchRow = {
    case: '(o) item renamed on A → new ETag of the cached list of its category on B',
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    note: `${changeCount} renames, from A's answer; max ${sorted[sorted.length - 1].toFixed(1)} ms; the new version came from B's refill (MISS) ${answeredByRefill} times; the PATCH on A itself p50 ${median(patchMs).toFixed(0)} ms`,
  }
  const check: TargetCheck = {
    target: '(o) p99 ≤ 100 ms',
    measured: `${percentile(sorted, 99).toFixed(1)} ms`,
    isMet: percentile(sorted, 99) <= 100,
  }
  return { row, check }
}
