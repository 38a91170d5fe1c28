import type { RunningApp } from '../../tests/setup/appServer'
import { browserAcceptEncoding, readMetricsText, requestRaw } from './httpProbe'
import { readResidentMegabytes } from './measure'
import { formatBytes, readMetricValue, type BenchRow } from './report'

/**
 * What the replica's metrics say the cache holds, and its V8 heap in use and memory outside it
 * (Buffers, where the cached bodies live): RSS alone also counts garbage not yet collected.
 */
const readCacheSize = async (app: RunningApp, metricsToken: string) => {
  const text = await readMetricsText(app.url, metricsToken)
  return {
    entries: readMetricValue(text, 'response_cache_entries'),
    bytes: readMetricValue(text, 'response_cache_bytes'),
    evictedForCapacity: readMetricValue(text, 'response_cache_evictions_total', {
      reason: 'capacity',
    }),
    heapUsed: readMetricValue(text, 'nodejs_heap_size_used_bytes'),
    external: readMetricValue(text, 'nodejs_external_memory_bytes'),
  }
}

/**
 * (p) one replica's cache filled with a distinct cached read per item, a few requests at a time,
 * asked as a browser asks, so each entry also holds its br encoding; the replica's RSS and the
 * cache's own accounting before and after. Depth 0: each fill is one Payload read, which keeps
 * 10,000 of them within a minute or two on two cores.
 */
export const measureCacheMemory = async ({
  app,
  itemIds,
  metricsToken,
  concurrency = 4,
}: {
  app: RunningApp
  itemIds: readonly number[]
  metricsToken: string
  concurrency?: number
}): Promise<BenchRow> => {
  const before = await readCacheSize(app, metricsToken)
  const rssBefore = readResidentMegabytes(app.pid)
  const started = performance.now()
  let next = 0
  const outcomes = new Map<string, number>()
  const fillOne = async () => {
    for (let index = next++; index < itemIds.length; index = next++) {
      const response = await requestRaw(`${app.url}/api/items/${itemIds[index]}?depth=0`, {
        headers: { 'Accept-Encoding': browserAcceptEncoding },
      })
      if (response.status !== 200)
        throw new Error(`item ${itemIds[index]} answered ${response.status}`)
      const outcome = String(response.headers['x-cache'] ?? 'none')
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, fillOne))
  const fillSeconds = (performance.now() - started) / 1000
  const after = await readCacheSize(app, metricsToken)
  const rssAfter = readResidentMegabytes(app.pid)
  const added = after.entries - before.entries
  const addedBytes = after.bytes - before.bytes
  return {
    case: `(p) RSS with ${itemIds.length.toLocaleString('en-US')} more cached reads (/api/items/<id>?depth=0)`,
    note: [
      `RSS ${rssBefore.toFixed(0)} → ${rssAfter.toFixed(0)} MB (+${(rssAfter - rssBefore).toFixed(0)} MB)`,
      `response_cache_entries ${before.entries} → ${after.entries}, response_cache_bytes ${formatBytes(before.bytes)} → ${formatBytes(after.bytes)} (${formatBytes(added > 0 ? addedBytes / added : 0)} per entry)`,
      `V8 heap used ${formatBytes(before.heapUsed)} → ${formatBytes(after.heapUsed)}, external ${formatBytes(before.external)} → ${formatBytes(after.external)}`,
      `evicted for capacity: ${after.evictedForCapacity - before.evictedForCapacity}`,
      `filled in ${fillSeconds.toFixed(1)} s, ${concurrency} at a time (${[...outcomes].map(([outcome, count]) => `${count} ${outcome}`).join(', ')})`,
    ].join('; '),
  }
}
