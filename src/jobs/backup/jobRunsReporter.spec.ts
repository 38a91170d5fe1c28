import { describe, expect, it } from 'vitest'

import { createAppMetrics } from '../../server/observability/metrics'
import type { LatestJobRun } from './jobRuns'
import { applyLatestJobRuns } from './jobRunsReporter'

const run = (overrides: Partial<LatestJobRun>): LatestJobRun => ({
  job: 'backup',
  status: 'succeeded',
  startedAt: new Date('2026-11-25T03:00:00Z'),
  finishedAt: new Date('2026-11-25T03:00:42Z'),
  details: {},
  ...overrides,
})

const valueOf = async (metrics: ReturnType<typeof createAppMetrics>, name: string) =>
  (await metrics.registry.getSingleMetric(name)?.get())?.values[0]?.value

describe('applyLatestJobRuns', () => {
  it('should set the backup and drill gauges from the latest runs', async () => {
    const metrics = createAppMetrics()
    applyLatestJobRuns(metrics, [
      run({ details: { bytes: 91_332 } }),
      run({ status: 'failed', finishedAt: new Date('2026-11-24T03:00:05Z') }),
      run({
        job: 'drill',
        startedAt: new Date('2026-11-20T10:00:00Z'),
        finishedAt: new Date('2026-11-20T10:01:30Z'),
        details: { recoverySeconds: 31.5, backupAgeSeconds: 25_200 },
      }),
    ])
    const at = (iso: string) => Date.parse(iso) / 1000
    expect(await valueOf(metrics, 'backup_last_success_timestamp_seconds')).toBe(
      at('2026-11-25T03:00:42Z'),
    )
    expect(await valueOf(metrics, 'backup_last_failure_timestamp_seconds')).toBe(
      at('2026-11-24T03:00:05Z'),
    )
    expect(await valueOf(metrics, 'backup_last_size_bytes')).toBe(91_332)
    expect(await valueOf(metrics, 'backup_last_duration_seconds')).toBe(42)
    expect(await valueOf(metrics, 'drill_last_success_timestamp_seconds')).toBe(
      at('2026-11-20T10:01:30Z'),
    )
    expect(await valueOf(metrics, 'drill_last_duration_seconds')).toBe(90)
    expect(await valueOf(metrics, 'drill_last_recovery_seconds')).toBe(31.5)
    expect(await valueOf(metrics, 'drill_last_backup_age_seconds')).toBe(25_200)
  })

  it('should leave the gauges at 0 when nothing is recorded, so an age alert fires', async () => {
    const metrics = createAppMetrics()
    applyLatestJobRuns(metrics, [])
    expect(await valueOf(metrics, 'backup_last_success_timestamp_seconds')).toBe(0)
    expect(await valueOf(metrics, 'drill_last_success_timestamp_seconds')).toBe(0)
  })
})
