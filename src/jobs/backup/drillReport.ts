import type { RowCountDifference } from './manifest'

export type DrillStep = {
  name: string
  status: 'passed' | 'failed' | 'skipped'
  seconds: number
  detail: string
}

/** What `npm run drill` found; printed as a table for people and as one JSON line for machines. */
export type DrillReport = {
  msg: 'drill passed' | 'drill failed'
  status: 'succeeded' | 'failed'
  backupId?: string
  backupCreatedAt?: string
  /** Where the backup came from: BACKUP_DIR (or a path given) or the bucket. */
  backupSource?: 'local' | 'bucket'
  /** RPO: how old the restored backup was when the drill started. */
  backupAgeSeconds?: number
  /** pg_restore alone. */
  restoreSeconds?: number
  /** RTO: restore, migrations and a booted Payload — the time to a database the app can serve. */
  recoverySeconds?: number
  durationSeconds: number
  /** Name only, never a URL: reports are pasted into tickets. */
  scratchDatabase?: string
  rowCounts?: { tables: number; rows: number; mismatches: RowCountDifference[] }
  migrations?: { pendingAfterRestore: string[]; pendingAfterMigrate: string[] }
  media?: { documentsSampled: number; objectsChecked: number; missing: string[] }
  steps: DrillStep[]
  isRecorded: boolean
  problems: string[]
}

/** 75 → "1 min 15 s", 90061 → "1 d 1 h 1 min". */
export const formatDuration = (totalSeconds: number): string => {
  if (totalSeconds < 60) return `${Number(totalSeconds.toFixed(1))} s`
  const units: [string, number][] = [
    ['d', 86_400],
    ['h', 3_600],
    ['min', 60],
    ['s', 1],
  ]
  let rest = Math.round(totalSeconds)
  const parts: string[] = []
  for (const [unit, size] of units) {
    const count = Math.floor(rest / size)
    rest -= count * size
    if (count > 0) parts.push(`${count} ${unit}`)
  }
  return parts.slice(0, 3).join(' ')
}

const table = (rows: string[][]): string => {
  const widths = rows[0]?.map((_, column) =>
    Math.max(...rows.map((row) => row[column]?.length ?? 0)),
  )
  return rows
    .map((row) =>
      row
        .map((cell, column) =>
          column === row.length - 1 ? cell : cell.padEnd(widths?.[column] ?? 0),
        )
        .join('  '),
    )
    .join('\n')
}

/** The report as an operator reads it in a terminal or a ticket. */
export const formatDrillReport = (report: DrillReport): string => {
  const verdict = report.status === 'succeeded' ? 'PASSED' : 'FAILED'
  const source = report.backupSource ? ` (${report.backupSource})` : ''
  const lines = [
    `Restore drill of ${report.backupId ?? 'no backup'}${source}: ${verdict}`,
    '',
    table([
      ['Step', 'Result', 'Time', 'Detail'],
      ...report.steps.map((step) => [
        step.name,
        step.status,
        step.status === 'skipped' ? '-' : formatDuration(step.seconds),
        step.detail,
      ]),
    ]),
    '',
  ]
  if (report.recoverySeconds !== undefined) {
    lines.push(`RTO (restore, migrations, boot): ${formatDuration(report.recoverySeconds)}`)
  }
  if (report.backupAgeSeconds !== undefined) {
    lines.push(`RPO (age of the restored backup): ${formatDuration(report.backupAgeSeconds)}`)
  }
  lines.push(`Drill took ${formatDuration(report.durationSeconds)}`)
  for (const problem of report.problems) lines.push(`Problem: ${problem}`)
  return lines.join('\n')
}
