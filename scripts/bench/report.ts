/** One row of the benchmark table. Missing figures print as "–". */
export type BenchRow = {
  case: string
  requestsPerSecond?: number
  p50Ms?: number
  p99Ms?: number
  /** Ratio of this case's requests/s to case (a), the bare Node server. */
  ratioToBare?: number
  cpuMicrosPerRequest?: number
  note?: string
}

export type TargetCheck = { target: string; measured: string; isMet: boolean | undefined }

const format = (value: number | undefined, digits = 1) =>
  value === undefined || Number.isNaN(value) ? '–' : value.toFixed(digits)

/** The results as a stable markdown table, so runs can be compared line by line. */
export const toMarkdownTable = (rows: BenchRow[]): string =>
  [
    '| case | req/s | p50 ms | p99 ms | × (a) | CPU µs/req | note |',
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
