import { describe, expect, it } from 'vitest'

import { formatDrillReport, formatDuration, type DrillReport } from './drillReport'

const report = (overrides: Partial<DrillReport> = {}): DrillReport => ({
  msg: 'drill passed',
  status: 'succeeded',
  backupId: 'catalog-2026-11-25T03-00-00-000Z',
  backupSource: 'bucket',
  backupAgeSeconds: 3 * 3600 + 120,
  restoreSeconds: 12.4,
  recoverySeconds: 19.25,
  durationSeconds: 31,
  steps: [
    {
      name: 'Find and verify the backup',
      status: 'passed',
      seconds: 1.2,
      detail: 'sha256 matches',
    },
    { name: 'Restore into a scratch database', status: 'failed', seconds: 12.4, detail: 'boom' },
    { name: 'Compare row counts', status: 'skipped', seconds: 0, detail: 'an earlier step failed' },
  ],
  isRecorded: true,
  problems: [],
  ...overrides,
})

describe('formatDuration', () => {
  it.each([
    [0.25, '0.3 s'],
    [59.94, '59.9 s'],
    [75, '1 min 15 s'],
    [3 * 3600 + 120, '3 h 2 min'],
    [90_061, '1 d 1 h 1 min'],
  ])('should format %d seconds as %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text)
  })
})

describe('formatDrillReport', () => {
  it('should show the verdict, every step in aligned columns, RTO and RPO', () => {
    const text = formatDrillReport(report())
    expect(text).toMatch(/^Restore drill of catalog-2026-11-25T03-00-00-000Z \(bucket\): PASSED/)
    const rows = text.split('\n').filter((line) => /^(Step|Find|Restore into|Compare)/.test(line))
    expect(rows).toHaveLength(4)
    const resultColumn = rows.map((row) => row.search(/Result|passed|failed|skipped/))
    expect(new Set(resultColumn).size).toBe(1)
    expect(text).toMatch(/Compare row counts\s+skipped\s+-\s+an earlier step failed/)
    expect(text).toContain('RTO (restore, migrations, boot): 19.3 s')
    expect(text).toContain('RPO (age of the restored backup): 3 h 2 min')
  })

  it('should list the problems of a failed drill and leave out what was not measured', () => {
    const text = formatDrillReport(
      report({
        status: 'failed',
        backupId: undefined,
        backupSource: undefined,
        recoverySeconds: undefined,
        backupAgeSeconds: undefined,
        problems: ['Find and verify the backup: no backup found'],
      }),
    )
    expect(text).toMatch(/^Restore drill of no backup: FAILED/)
    expect(text).toContain('Problem: Find and verify the backup: no backup found')
    expect(text).not.toContain('RTO')
    expect(text).not.toContain('RPO')
  })
})
