import { describe, expect, it, vi } from 'vitest'

import { signInTimingDefaults } from '../defaults'
import { inEqualTime } from './inEqualTime'

const { forgotPasswordMinimumMs } = signInTimingDefaults

/** A clock that moves only when work or a sleep moves it. */
const fakeClock = () => {
  let now = 1000
  const sleep = vi.fn(async (ms: number) => {
    now += ms
  })
  return { clock: { now: () => now, sleep }, advance: (ms: number) => (now += ms), sleep }
}

describe('forgot-password in equal time', () => {
  it('should wait out the rest of the floor after quick work', async () => {
    const { clock, advance, sleep } = fakeClock()
    const result = await inEqualTime(
      async () => {
        advance(20)
        return 'token'
      },
      { clock, minimumMs: forgotPasswordMinimumMs },
    )
    expect(result).toBe('token')
    expect(sleep).toHaveBeenCalledExactlyOnceWith(forgotPasswordMinimumMs - 20)
  })

  it('should not wait after work that took the floor or longer', async () => {
    const { clock, advance, sleep } = fakeClock()
    await inEqualTime(async () => advance(forgotPasswordMinimumMs + 1), {
      clock,
      minimumMs: forgotPasswordMinimumMs,
    })
    expect(sleep).not.toHaveBeenCalled()
  })

  it('should answer a refusal at once', async () => {
    const { clock, sleep } = fakeClock()
    const refusal = new Error('Too many sign-in attempts.')
    await expect(
      inEqualTime(
        async () => {
          throw refusal
        },
        { clock, minimumMs: forgotPasswordMinimumMs },
      ),
    ).rejects.toBe(refusal)
    expect(sleep).not.toHaveBeenCalled()
  })
})
