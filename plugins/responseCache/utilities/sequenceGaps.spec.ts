import { describe, expect, it } from 'vitest'

import { createGapDetector } from './sequenceGaps'

const createClock = () => {
  let time = 0
  return { now: () => time, advance: (ms: number) => (time += ms) }
}

describe('sequence gaps', () => {
  it('should accept consecutive numbers from each sender, starting anywhere', () => {
    const gaps = createGapDetector({ graceMs: 100 })
    for (const sequence of [7, 8, 9]) expect(gaps.observe({ sender: 'a', sequence })).toBe(false)
    expect(gaps.observe({ sender: 'b', sequence: 1 })).toBe(false)
  })

  it('should forgive numbers that arrive out of order within the grace period', () => {
    const clock = createClock()
    const gaps = createGapDetector({ graceMs: 100, now: clock.now })
    gaps.observe({ sender: 'a', sequence: 1 })
    expect(gaps.observe({ sender: 'a', sequence: 3 })).toBe(false)
    clock.advance(50)
    expect(gaps.observe({ sender: 'a', sequence: 2 })).toBe(false)
    clock.advance(500)
    expect(gaps.hasOverdueGap()).toBe(false)
  })

  it('should report a number still missing after the grace period, once', () => {
    const clock = createClock()
    const gaps = createGapDetector({ graceMs: 100, now: clock.now })
    gaps.observe({ sender: 'a', sequence: 1 })
    gaps.observe({ sender: 'a', sequence: 3 })
    clock.advance(100)
    expect(gaps.hasOverdueGap()).toBe(true)
    expect(gaps.hasOverdueGap()).toBe(false)
  })

  it('should report a jump no reordering explains at once', () => {
    const gaps = createGapDetector({ graceMs: 100 })
    gaps.observe({ sender: 'a', sequence: 1 })
    expect(gaps.observe({ sender: 'a', sequence: 5000 })).toBe(true)
  })

  it('should start over after a reset', () => {
    const clock = createClock()
    const gaps = createGapDetector({ graceMs: 100, now: clock.now })
    gaps.observe({ sender: 'a', sequence: 1 })
    gaps.observe({ sender: 'a', sequence: 3 })
    gaps.reset()
    clock.advance(500)
    expect(gaps.hasOverdueGap()).toBe(false)
  })
})
