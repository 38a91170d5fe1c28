import { describe, expect, it } from 'vitest'

import type { LoadResult } from './measure'
import {
  formatBytes,
  median,
  outcomesBetween,
  percentile,
  readCacheOutcomes,
  readMetricValue,
  toLoadRow,
  toMarkdownTable,
  toTargetTable,
} from './report'

const loadResult = (overrides: Partial<LoadResult> = {}): LoadResult => ({
  requestsPerSecond: 500,
  p50Ms: 3,
  p99Ms: 9,
  requests: 5000,
  errors: 0,
  unexpectedStatus: 0,
  cpuMicrosPerRequest: 120,
  ...overrides,
})

const metricsText = [
  '# HELP response_cache_reads_total Reads on cacheable API routes, by X-Cache outcome (HIT, MISS, BYPASS).',
  '# TYPE response_cache_reads_total counter',
  'response_cache_reads_total{outcome="HIT"} 990',
  'response_cache_reads_total{outcome="MISS"} 8',
  'response_cache_evictions_total{reason="capacity"} 3',
  'response_cache_evictions_total{reason="change"} 4',
  'response_cache_entries 10002',
  'response_cache_bytes 1.5e+7',
  'response_cache_entries_other 7',
].join('\n')

describe('bench report', () => {
  it('should print every case in a stable markdown table with missing figures as dashes', () => {
    expect(
      toMarkdownTable([
        {
          case: '(a) bare',
          requestsPerSecond: 50123.4,
          p50Ms: 0.9,
          p99Ms: 2.04,
          ratioToBare: 1,
          cpuMicrosPerRequest: 15.2,
        },
        { case: '(h) rate limit', note: 'not built yet' },
      ]),
    ).toBe(
      [
        '| case | req/s | p50 ms | p99 ms | × (a) | CPU µs/req | note |',
        '| --- | ---: | ---: | ---: | ---: | ---: | --- |',
        '| (a) bare | 50123 | 0.9 | 2.0 | 1.000 | 15 |  |',
        '| (h) rate limit | – | – | – | – | – | not built yet |',
      ].join('\n'),
    )
  })

  it('should mark targets met, not met or not applicable', () => {
    expect(
      toTargetTable([
        { target: 'x', measured: '1', isMet: true },
        { target: 'y', measured: '2', isMet: false },
        { target: 'z', measured: '–', isMet: undefined },
      ])
        .split('\n')
        .slice(2),
    ).toEqual(['| x | 1 | met |', '| y | 2 | NOT met |', '| z | – | n/a |'])
  })

  it('should compute nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, index) => index + 1)
    expect(percentile(values, 50)).toBe(50)
    expect(percentile(values, 99)).toBe(99)
    expect(percentile(values, 100)).toBe(100)
    expect(median([5, 1, 3])).toBe(3)
    expect(percentile([], 50)).toBeNaN()
  })

  it('should head the ratio column with the baseline it compares with', () => {
    expect(toMarkdownTable([], '× bare').split('\n')[0]).toBe(
      '| case | req/s | p50 ms | p99 ms | × bare | CPU µs/req | note |',
    )
  })

  it('should turn a load into a row against its baseline, with what went wrong in the note', () => {
    expect(
      toLoadRow({
        label: '(l) cached',
        result: loadResult(),
        baseline: loadResult({ requestsPerSecond: 1000 }),
        durationSeconds: 10,
        note: '100 % HIT',
      }),
    ).toEqual({
      case: '(l) cached',
      requestsPerSecond: 500,
      p50Ms: 3,
      p99Ms: 9,
      ratioToBare: 0.5,
      cpuMicrosPerRequest: 120,
      note: '100 % HIT',
    })
    const failed = toLoadRow({
      label: '(l) cache off',
      result: loadResult({ requests: 0, errors: 2, unexpectedStatus: 1 }),
      durationSeconds: 3,
    })
    expect(failed.ratioToBare).toBeUndefined()
    expect(failed.note).toBe('no response completed within 3 s; 2 errors, 1 unexpected statuses')
  })

  it('should read a metric from Prometheus text, summed over the samples its labels select', () => {
    expect(readMetricValue(metricsText, 'response_cache_entries')).toBe(10002)
    expect(readMetricValue(metricsText, 'response_cache_bytes')).toBe(15_000_000)
    expect(readMetricValue(metricsText, 'response_cache_evictions_total')).toBe(7)
    expect(
      readMetricValue(metricsText, 'response_cache_evictions_total', { reason: 'capacity' }),
    ).toBe(3)
    expect(readMetricValue(metricsText, 'response_cache_reads_total', { outcome: 'BYPASS' })).toBe(
      0,
    )
    expect(readMetricValue(metricsText, 'response_cache_fill_seconds')).toBe(0)
  })

  it('should count the reads between two snapshots and the share of hits', () => {
    const before = readCacheOutcomes(metricsText)
    expect(before).toEqual({ hits: 990, misses: 8, bypasses: 0 })
    expect(outcomesBetween(before, { hits: 1980, misses: 8, bypasses: 10 })).toEqual({
      hits: 990,
      misses: 0,
      bypasses: 10,
      reads: 1000,
      hitRatio: 0.99,
    })
    expect(outcomesBetween(before, before).hitRatio).toBeNaN()
  })

  it('should print bytes in the largest unit they fill', () => {
    expect(formatBytes(773)).toBe('773 B')
    expect(formatBytes(27_750)).toBe('27.1 KiB')
    expect(formatBytes(12_677_120)).toBe('12.1 MiB')
  })
})
