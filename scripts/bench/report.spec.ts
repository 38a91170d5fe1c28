import { describe, expect, it } from 'vitest'

import { median, percentile, toMarkdownTable, toTargetTable } from './report'

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
})
