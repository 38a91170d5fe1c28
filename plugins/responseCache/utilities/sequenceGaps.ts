import type { ChangeOrigin } from './changes'

type SenderState = { highest: number; missing: Map<number, number> }

/** More missing numbers than this from one sender at once: no reordering explains it. */
const maxMissingPerSender = 1000

/**
 * Notices when a replica's numbered announcements did not all arrive. PostgreSQL delivers
 * notifications in commit order, and two transactions of one replica may commit in the other
 * order than they were numbered, so a number that is skipped gets `graceMs` to turn up. One that
 * does not was lost — or belonged to a transaction that rolled back after numbering it — and the
 * caller drops what it cached: that costs refills, never a stale answer.
 */
export const createGapDetector = ({
  graceMs,
  now = Date.now,
}: {
  graceMs: number
  now?: () => number
}) => {
  const senders = new Map<string, SenderState>()

  /** Whether a skipped number has stayed missing past the grace period (and forgets it). */
  const hasOverdueGap = (): boolean => {
    let isOverdue = false
    for (const state of senders.values()) {
      for (const [sequence, noticedAt] of state.missing) {
        if (now() - noticedAt < graceMs) continue
        state.missing.delete(sequence)
        isOverdue = true
      }
    }
    return isOverdue
  }

  return {
    /** Records an announcement; true when one of the sender's announcements is now known lost. */
    observe: ({ sender, sequence }: ChangeOrigin): boolean => {
      const state = senders.get(sender)
      if (!state) {
        // The first we hear of a sender: what it announced before is not ours to have missed.
        senders.set(sender, { highest: sequence, missing: new Map() })
        return hasOverdueGap()
      }
      if (sequence <= state.highest) {
        state.missing.delete(sequence)
        return hasOverdueGap()
      }
      if (sequence - state.highest - 1 + state.missing.size > maxMissingPerSender) {
        state.highest = sequence
        state.missing.clear()
        return true
      }
      for (let skipped = state.highest + 1; skipped < sequence; skipped += 1)
        state.missing.set(skipped, now())
      state.highest = sequence
      return hasOverdueGap()
    },
    /** For a periodic check: a lost announcement is noticed even if nothing else arrives. */
    hasOverdueGap,
    /** After a reconnect the caller drops everything anyway: start over. */
    reset: () => senders.clear(),
  }
}

export type GapDetector = ReturnType<typeof createGapDetector>
