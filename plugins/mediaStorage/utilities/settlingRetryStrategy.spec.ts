import type { RetryErrorInfo } from '@smithy/types'
import { describe, expect, it } from 'vitest'

import { createSettlingRetryStrategy } from './settlingRetryStrategy'

const transientError: RetryErrorInfo = { errorType: 'TRANSIENT' }
const clientError: RetryErrorInfo = { errorType: 'CLIENT_ERROR' }

const isSettled = async (promise: Promise<void>) => {
  let settled = false
  void promise.then(() => (settled = true))
  // Let every already-resolved continuation run before looking.
  await new Promise((resolve) => setImmediate(resolve))
  return settled
}

describe('createSettlingRetryStrategy', () => {
  it('should settle at once when nothing is running', async () => {
    const { whenSettled } = createSettlingRetryStrategy(3)
    expect(await isSettled(whenSettled())).toBe(true)
  })

  it('should wait for a command through its retries until it succeeds', async () => {
    const { retryStrategy, whenSettled } = createSettlingRetryStrategy(3)
    const first = await retryStrategy.acquireInitialRetryToken('')
    const settled = whenSettled()
    const second = await retryStrategy.refreshRetryTokenForRetry(first, transientError)
    expect(await isSettled(settled)).toBe(false)
    retryStrategy.recordSuccess(second)
    expect(await isSettled(settled)).toBe(true)
  })

  it('should count a command as finished once a retry is refused', async () => {
    const { retryStrategy, whenSettled } = createSettlingRetryStrategy(3)
    const token = await retryStrategy.acquireInitialRetryToken('')
    const settled = whenSettled()
    await expect(retryStrategy.refreshRetryTokenForRetry(token, clientError)).rejects.toBeDefined()
    expect(await isSettled(settled)).toBe(true)
  })

  it('should stop retrying after the configured number of attempts', async () => {
    const { retryStrategy, whenSettled } = createSettlingRetryStrategy(2)
    const first = await retryStrategy.acquireInitialRetryToken('')
    const second = await retryStrategy.refreshRetryTokenForRetry(first, transientError)
    await expect(
      retryStrategy.refreshRetryTokenForRetry(second, transientError),
    ).rejects.toBeDefined()
    expect(await isSettled(whenSettled())).toBe(true)
  })

  it('should wait for every command that was running, not just the first', async () => {
    const { retryStrategy, whenSettled } = createSettlingRetryStrategy(3)
    const one = await retryStrategy.acquireInitialRetryToken('')
    const two = await retryStrategy.acquireInitialRetryToken('')
    const settled = whenSettled()
    retryStrategy.recordSuccess(one)
    expect(await isSettled(settled)).toBe(false)
    retryStrategy.recordSuccess(two)
    expect(await isSettled(settled)).toBe(true)
  })
})
