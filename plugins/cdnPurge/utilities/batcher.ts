/**
 * Gathers items into batches for `send`, one batch out at a time: the first item after a quiet
 * spell waits `windowMs` for others; whatever arrives while a batch is out goes in the next one.
 * `send` must not reject (a rejection is handed to `onError` and the batch is dropped).
 */
export const createBatcher = <T>({
  windowMs,
  send,
  onError,
}: {
  windowMs: number
  send: (batch: T[]) => Promise<void>
  onError: (error: unknown) => void
}) => {
  const pending: T[] = []
  let windowTimer: NodeJS.Timeout | undefined
  let draining: Promise<void> | undefined

  const drain = async () => {
    while (pending.length > 0) await send(pending.splice(0)).catch(onError)
  }

  const startDraining = (): Promise<void> => {
    if (windowTimer) clearTimeout(windowTimer)
    windowTimer = undefined
    draining ??= drain().finally(() => {
      draining = undefined
      if (pending.length > 0) openWindow()
    })
    return draining
  }

  const openWindow = () => {
    if (draining || windowTimer) return
    windowTimer = setTimeout(() => void startDraining(), windowMs)
    windowTimer.unref()
  }

  return {
    add: (item: T) => {
      pending.push(item)
      openWindow()
    },
    /** Sends what is waiting now, without the window; resolves once nothing is waiting or out. */
    flush: async () => {
      while (windowTimer || draining) await startDraining()
    },
  }
}
