/**
 * Polls `isDone` until it holds, failing with `what` once `timeoutMs` has passed: for effects that
 * arrive a moment later (a NOTIFY after its commit, a child process's output, a purge call).
 */
export const waitUntil = async (
  what: string,
  isDone: () => boolean | Promise<boolean>,
  { timeoutMs = 10_000, intervalMs = 20 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  while (!(await isDone())) {
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
  }
}
