import { describe, expect, it } from 'vitest'

import {
  createLoginRefusalMemory,
  refusalMemoryMs,
  toRetryAfterSeconds,
  tooManySignInAttemptsMessage,
} from './loginRefusals'

const clock = (start = 1_000_000) => {
  let now = start
  return { now: () => now, advance: (ms: number) => (now += ms) }
}

describe('createLoginRefusalMemory', () => {
  it('should answer how long a refused address still waits, and nothing for others', () => {
    const time = clock()
    const memory = createLoginRefusalMemory(time.now)
    memory.remember('203.0.113.9', 600_000)
    time.advance(2_000)
    expect(memory.msBeforeRetry('203.0.113.9')).toBe(598_000)
    expect(memory.msBeforeRetry('203.0.113.10')).toBe(0)
  })

  it('should ask the database again after a few seconds, so a lifted limit takes effect', () => {
    const time = clock()
    const memory = createLoginRefusalMemory(time.now)
    memory.remember('203.0.113.9', 600_000)
    time.advance(refusalMemoryMs - 1)
    expect(memory.msBeforeRetry('203.0.113.9')).toBeGreaterThan(0)
    time.advance(1)
    expect(memory.msBeforeRetry('203.0.113.9')).toBe(0)
  })

  it('should forget a refusal whose wait ends sooner than the memory', () => {
    const time = clock()
    const memory = createLoginRefusalMemory(time.now)
    memory.remember('203.0.113.9', 3_000)
    time.advance(3_000)
    expect(memory.msBeforeRetry('203.0.113.9')).toBe(0)
  })

  it('should stop remembering new addresses when full of live refusals, and make room as they expire', () => {
    const time = clock()
    const memory = createLoginRefusalMemory(time.now)
    for (let index = 0; index < 10_000; index++) memory.remember(`a${index}`, 600_000)
    memory.remember('one too many', 600_000)
    expect(memory.msBeforeRetry('one too many')).toBe(0)
    expect(memory.msBeforeRetry('a9999')).toBeGreaterThan(0)
    time.advance(refusalMemoryMs)
    memory.remember('one too many', 600_000)
    expect(memory.msBeforeRetry('one too many')).toBe(600_000)
  })
})

describe('the refusal wording', () => {
  it('should round the wait up to whole seconds, at least one, and say minutes past two', () => {
    expect(toRetryAfterSeconds(1)).toBe(1)
    expect(toRetryAfterSeconds(1_001)).toBe(2)
    expect(tooManySignInAttemptsMessage(90)).toBe(
      'Too many sign-in attempts. Try again in 90 seconds.',
    )
    expect(tooManySignInAttemptsMessage(600)).toBe(
      'Too many sign-in attempts. Try again in 10 minutes.',
    )
  })
})
