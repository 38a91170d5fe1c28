import { describe, expect, it } from 'vitest'

import { createDatabaseOutageMonitor, databaseOutageEvents } from './outageMonitor'

const refused = () =>
  Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { code: 'ECONNREFUSED' })

/** A monitor whose clock and timers the test drives, and whose probe answers as told. */
const setup = () => {
  const lines: { level: 'error' | 'info'; fields: Record<string, unknown> }[] = []
  const pending: (() => void)[] = []
  let clock = 1_000
  let isDatabaseUp = false
  let isClosed = false
  const monitor = createDatabaseOutageMonitor({
    now: () => clock,
    schedule: (run) => void pending.push(run),
  })
  const watch = () =>
    monitor.watch({
      logger: {
        error: (fields) => void lines.push({ level: 'error', fields }),
        info: (fields) => void lines.push({ level: 'info', fields }),
      },
      probe: () => (isDatabaseUp ? Promise.resolve() : Promise.reject(refused())),
      isClosed: () => isClosed,
    })
  /** Runs the probes due, as their timers would. */
  const runProbes = async () => {
    for (const run of pending.splice(0)) run()
    await new Promise((resolve) => setImmediate(resolve))
  }
  return {
    monitor,
    lines,
    watch,
    runProbes,
    pendingProbes: () => pending.length,
    advance: (ms: number) => (clock += ms),
    databaseComesBack: () => (isDatabaseUp = true),
    close: () => (isClosed = true),
  }
}

describe('createDatabaseOutageMonitor', () => {
  it('should report nothing, and say so, while nothing is watched', () => {
    const { monitor, lines, pendingProbes } = setup()
    expect(monitor.recordFailure(refused())).toBe(false)
    expect(monitor.isUnavailable()).toBe(false)
    expect(lines).toEqual([])
    expect(pendingProbes()).toBe(0)
  })

  it('should log the first failure of an outage with its cause, and no other', () => {
    const { monitor, lines, watch } = setup()
    watch()
    const cause = refused()
    expect(monitor.recordFailure(new Error('Failed query: select 1', { cause }))).toBe(true)
    for (let index = 0; index < 50; index++) expect(monitor.recordFailure(refused())).toBe(true)
    expect(monitor.isUnavailable()).toBe(true)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatchObject({
      level: 'error',
      fields: {
        event: databaseOutageEvents.started,
        err: { type: 'Error', message: cause.message, code: 'ECONNREFUSED', stack: cause.stack },
      },
    })
    // The cause alone: never the query, never the pg client a pool error carries.
    expect(JSON.stringify(lines[0])).not.toContain('select 1')
  })

  it('should probe until the database answers, then log the end once with the duration', async () => {
    const { monitor, lines, watch, runProbes, advance, databaseComesBack, pendingProbes } = setup()
    watch()
    monitor.recordFailure(refused())
    advance(4_000)
    await runProbes()
    expect(monitor.isUnavailable()).toBe(true)
    expect(lines).toHaveLength(1)
    databaseComesBack()
    advance(6_000)
    await runProbes()
    expect(monitor.isUnavailable()).toBe(false)
    expect(pendingProbes()).toBe(0)
    expect(lines[1]).toMatchObject({
      level: 'info',
      fields: { event: databaseOutageEvents.ended, outageSeconds: 10 },
    })
  })

  it('should report the next outage as a new one', async () => {
    const { monitor, lines, watch, runProbes, databaseComesBack } = setup()
    watch()
    monitor.recordFailure(refused())
    databaseComesBack()
    await runProbes()
    monitor.recordFailure(refused())
    expect(lines.map((line) => line.fields.event)).toEqual([
      databaseOutageEvents.started,
      databaseOutageEvents.ended,
      databaseOutageEvents.started,
    ])
  })

  it('should stop probing a pool that was closed', async () => {
    const { monitor, watch, runProbes, close, pendingProbes } = setup()
    watch()
    monitor.recordFailure(refused())
    close()
    await runProbes()
    expect(pendingProbes()).toBe(0)
  })
})
