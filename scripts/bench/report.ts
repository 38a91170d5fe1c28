import type { LoadResult } from './measure'

/** One row of the benchmark table. Missing figures print as "–". */
export type BenchRow = {
  case: string
  requestsPerSecond?: number
  p50Ms?: number
  p99Ms?: number
  /** Ratio of this case's requests/s to its table's bare Node server (case (a) in the first). */
  ratioToBare?: number
  cpuMicrosPerRequest?: number
  note?: string
}

export type TargetCheck = { target: string; measured: string; isMet: boolean | undefined }

const format = (value: number | undefined, digits = 1) =>
  value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits)

/**
 * The results as a stable markdown table, so runs can be compared line by line. `ratioHeader`
 * names the bare server the ratio column compares with.
 */
export const toMarkdownTable = (rows: BenchRow[], ratioHeader = '× (a)'): string =>
  [
    `| case | req/s | p50 ms | p99 ms | ${ratioHeader} | CPU µs/req | note |`,
    '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
    ...rows.map(
      (row) =>
        `| ${row.case} | ${format(row.requestsPerSecond, 0)} | ${format(row.p50Ms)} | ${format(row.p99Ms)} | ${format(row.ratioToBare, 3)} | ${format(row.cpuMicrosPerRequest, 0)} | ${row.note ?? ''} |`,
    ),
  ].join('\n')

export const toTargetTable = (checks: TargetCheck[]): string =>
  [
    '| target | measured | met |',
    '| --- | --- | --- |',
    ...checks.map(
      (check) =>
        `| ${check.target} | ${check.measured} | ${check.isMet === undefined ? 'n/a' : check.isMet ? 'met' : 'NOT met'} |`,
    ),
  ].join('\n')

/** The value at percentile p (0–100) of an ascending list, nearest-rank. */
export const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]

export const median = (values: number[]): number =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  )

/**
 * A load case as a table row: its rate against `baseline` (a bare server's run, or none), and
 * what went wrong, if anything, in the note.
 */
export const toLoadRow = ({
  label,
  result,
  baseline,
  durationSeconds,
  note = '',
}: {
  label: string
  result: LoadResult
  baseline?: LoadResult
  durationSeconds: number
  note?: string
}): BenchRow => ({
  case: label,
  requestsPerSecond: result.requestsPerSecond,
  p50Ms: result.p50Ms,
  p99Ms: result.p99Ms,
  ratioToBare: baseline ? result.requestsPerSecond / baseline.requestsPerSecond : undefined,
  cpuMicrosPerRequest: result.cpuMicrosPerRequest,
  note: [
    note,
    result.requests === 0 ? `no response completed within ${durationSeconds} s` : '',
    result.errors + result.unexpectedStatus > 0
      ? `${result.errors} errors, ${result.unexpectedStatus} unexpected statuses`
      : '',
  ]
    .filter(Boolean)
    .join('; '),
})

/** `name="value"` pairs of a Prometheus sample's label set. */
const parseLabels = (text: string): Record<string, string> =>
  Object.fromEntries(
    [...text.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map(([, key, value]) => [key, value]),
  )

/**
 * The value of a metric in Prometheus text, summed over the samples whose labels include
 * `labels`; 0 when there is none (a counter not yet incremented is not printed).
 */
export const readMetricValue = (
  text: string,
  name: string,
  labels: Record<string, string> = {},
): number => {
  let total = 0
  for (const line of text.split('\n')) {
    const match = line.match(/^(\w+)(?:\{(.*)\})?\s+(\S+)/)
    if (!match || match[1] !== name) continue
    const sampleLabels = parseLabels(match[2] ?? '')
    if (Object.entries(labels).every(([key, value]) => sampleLabels[key] === value))
      total += Number(match[3])
  }
  return total
}

export type ReadOutcomes = { hits: number; misses: number; bypasses: number }

/** The response cache's read counters (`X-Cache` outcomes) in a replica's metrics. */
export const readCacheOutcomes = (metricsText: string): ReadOutcomes => {
  const outcome = (value: string) =>
    readMetricValue(metricsText, 'response_cache_reads_total', { outcome: value })
  return { hits: outcome('HIT'), misses: outcome('MISS'), bypasses: outcome('BYPASS') }
}

/** Reads between two snapshots of the counters, and the share of them that were hits. */
export const outcomesBetween = (before: ReadOutcomes, after: ReadOutcomes) => {
  const hits = after.hits - before.hits
  const misses = after.misses - before.misses
  const bypasses = after.bypasses - before.bypasses
  const reads = hits + misses + bypasses
  return { hits, misses, bypasses, reads, hitRatio: reads > 0 ? hits / reads : Number.NaN }
}

/** Bytes for a note: B below a KiB, KiB below a MiB, MiB above. */
export const formatBytes = (bytes: number): string => {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`
  return `${(bytes / 1024 ** 2).toFixed(1)} MiB`
}
