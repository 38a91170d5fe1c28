import { setTimeout as sleep } from 'node:timers/promises'

export type Clock = {
  now: () => number
  sleep: (ms: number) => Promise<unknown>
}

const realClock: Clock = { now: () => performance.now(), sleep }

/**
 * Runs a forgot-password request and answers no sooner than `minimumMs` after it started. Only a
 * completed request waits: refusals (a malformed body, rate limits) do not depend on whether the
 * account exists, and should cost the server nothing more.
 */
export const inEqualTime = async <T>(
  work: () => Promise<T>,
  { minimumMs, clock = realClock }: { minimumMs: number; clock?: Clock },
): Promise<T> => {
  const startedAt = clock.now()
  const result = await work()
  const remaining = startedAt + minimumMs - clock.now()
  if (remaining > 0) await clock.sleep(remaining)
  return result
}
