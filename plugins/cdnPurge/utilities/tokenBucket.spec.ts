import { describe, expect, it } from 'vitest'

import { createTokenBucket } from './tokenBucket'

describe('the token bucket', () => {
  it('should let a burst through, then one call per 1/rate seconds', () => {
    let time = 0
    const bucket = createTokenBucket({ ratePerSecond: 2, burst: 3, now: () => time })
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([0, 0, 0])
    expect(bucket.take()).toBe(500)
    time = 250
    expect(bucket.take()).toBe(250)
    time = 500
    expect(bucket.take()).toBe(0)
    expect(bucket.take()).toBe(500)
  })

  it('should save up no more than the burst over a quiet spell', () => {
    let time = 0
    const bucket = createTokenBucket({ ratePerSecond: 5 / 60, burst: 2, now: () => time })
    bucket.take()
    bucket.take()
    time = 3_600_000
    expect([bucket.take(), bucket.take()]).toEqual([0, 0])
    expect(bucket.take()).toBe(12_000)
  })
})
