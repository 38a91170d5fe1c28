import { describe, expect, it } from 'vitest'

import { createJobRunner, type JobId } from './jobRunner'

/** A run that finishes when the test says so. */
const controlledRuns = () => {
  const finishers = new Map<JobId, () => void>()
  const run = (id: JobId) =>
    new Promise<void>((resolve) => {
      finishers.set(id, resolve)
    })
  return { run, finish: (id: JobId) => finishers.get(id)?.() }
}

describe('the job runner loop', () => {
  it('should claim only as many jobs as it has room for', async () => {
    const asked: number[] = []
    let next = 1
    const claim = async (limit: number) => {
      asked.push(limit)
      return Array.from({ length: Math.min(limit, 2) }, () => next++)
    }
    const { run, finish } = controlledRuns()
    const runner = createJobRunner({ claim, run, concurrency: 3, onError: () => undefined })
    await runner.tick()
    expect(runner.runningCount).toBe(2)
    await runner.tick()
    expect(runner.runningCount).toBe(3)
    // Full: no claim at all.
    await runner.tick()
    expect(asked).toEqual([3, 1])
    finish(1)
    await new Promise((resolve) => setImmediate(resolve))
    await runner.tick()
    expect(asked).toEqual([3, 1, 1])
  })

  it('should not wait for the jobs it started before the next claim', async () => {
    let claims = 0
    const claim = async () => (claims++ === 0 ? ['long-import'] : [])
    const { run } = controlledRuns()
    const runner = createJobRunner({ claim, run, concurrency: 2, onError: () => undefined })
    await runner.tick()
    await runner.tick()
    expect(claims).toBe(2)
    expect(runner.runningCount).toBe(1)
  })

  it('should not claim twice at once when ticks overlap', async () => {
    let concurrentClaims = 0
    let maxConcurrentClaims = 0
    const claim = async () => {
      concurrentClaims++
      maxConcurrentClaims = Math.max(maxConcurrentClaims, concurrentClaims)
      await new Promise((resolve) => setImmediate(resolve))
      concurrentClaims--
      return []
    }
    const runner = createJobRunner({
      claim,
      run: async () => undefined,
      concurrency: 2,
      onError: () => undefined,
    })
    await Promise.all([runner.tick(), runner.tick(), runner.tick()])
    expect(maxConcurrentClaims).toBe(1)
  })

  it('should report failed claims and runs, and keep going', async () => {
    const errors: unknown[] = []
    let calls = 0
    const claim = async () => {
      calls++
      if (calls === 1) throw new Error('database away')
      return calls === 2 ? [7] : []
    }
    const runner = createJobRunner({
      claim,
      run: async () => {
        throw new Error('runner broke')
      },
      concurrency: 1,
      onError: (error) => errors.push(error),
    })
    await runner.tick()
    await runner.tick()
    await runner.stop()
    expect(errors.map((error) => (error as Error).message)).toEqual([
      'database away',
      'runner broke',
    ])
  })

  it('should stop claiming once stopped, and wait for the jobs it had started', async () => {
    let claims = 0
    const claim = async () => (claims++ === 0 ? [1] : [2])
    const { run, finish } = controlledRuns()
    const runner = createJobRunner({ claim, run, concurrency: 2, onError: () => undefined })
    await runner.tick()
    let hasStopped = false
    const stopping = runner.stop().then(() => (hasStopped = true))
    await runner.tick()
    expect(claims).toBe(1)
    await new Promise((resolve) => setImmediate(resolve))
    expect(hasStopped).toBe(false)
    finish(1)
    await stopping
    expect(hasStopped).toBe(true)
  })
})
