import { StandardRetryStrategy } from '@smithy/core/retry'
import type { RetryErrorInfo, RetryStrategyV2, StandardRetryToken } from '@smithy/types'

/**
 * Commands that end neither in success nor in a refused retry (an aborted or streamed request)
 * stop counting as in flight after this long, so one stray command cannot hold cleanups forever.
 */
const forgetCommandAfterMs = 60_000

/**
 * An S3 retry strategy that knows which commands are still running, retries and back-off pauses
 * included. The storage plugin uploads an image's sizes in parallel and reports the first failure
 * while the other uploads may still be retrying; a cleanup that ran at that moment could be
 * overtaken by a retry that lands afterwards. `whenSettled` lets the cleanup wait them out.
 */
export const createSettlingRetryStrategy = (maxAttempts: number) => {
  const inner = new StandardRetryStrategy(maxAttempts)
  const endCommand = new WeakMap<StandardRetryToken, () => void>()
  const running = new Set<Promise<void>>()

  const startCommand = (token: StandardRetryToken) => {
    let end = () => {}
    const command = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, forgetCommandAfterMs)
      timer.unref()
      end = () => {
        clearTimeout(timer)
        resolve()
      }
    })
    running.add(command)
    void command.then(() => running.delete(command))
    endCommand.set(token, end)
  }

  const finishCommand = (token: StandardRetryToken) => {
    endCommand.get(token)?.()
    endCommand.delete(token)
  }

  const retryStrategy: RetryStrategyV2 = {
    acquireInitialRetryToken: async (scope: string) => {
      const token = await inner.acquireInitialRetryToken(scope)
      startCommand(token)
      return token
    },
    refreshRetryTokenForRetry: async (token: StandardRetryToken, errorInfo: RetryErrorInfo) => {
      try {
        const next = await inner.refreshRetryTokenForRetry(token, errorInfo)
        const end = endCommand.get(token)
        endCommand.delete(token)
        if (end) endCommand.set(next, end)
        return next
      } catch (refused) {
        finishCommand(token)
        throw refused
      }
    },
    recordSuccess: (token: StandardRetryToken) => {
      inner.recordSuccess(token)
      finishCommand(token)
    },
  }

  return {
    retryStrategy,
    /** Resolves once every command that is running now has finished, whatever its outcome. */
    whenSettled: async () => {
      await Promise.all([...running])
    },
  }
}

export type SettlingRetryStrategy = ReturnType<typeof createSettlingRetryStrategy>

const sharedStrategies = new Map<string, SettlingRetryStrategy>()

/**
 * One strategy per S3 client: `@payloadcms/storage-s3` keeps one client per `clientCacheKey` for
 * the whole process, so the client that uploads may have been built by another instance of the
 * plugin (a second `getPayload`, a test) and it is that client's strategy a cleanup must wait for.
 */
export const getSharedSettlingRetryStrategy = ({
  clientCacheKey,
  maxAttempts,
}: {
  clientCacheKey: string
  maxAttempts: number
}): SettlingRetryStrategy => {
  let strategy = sharedStrategies.get(clientCacheKey)
  if (!strategy) {
    strategy = createSettlingRetryStrategy(maxAttempts)
    sharedStrategies.set(clientCacheKey, strategy)
  }
  return strategy
}
