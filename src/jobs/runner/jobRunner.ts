export type JobId = number | string

export type JobRunnerArgs = {
  /**
   * Marks up to `limit` due jobs as processing, atomically across every process on the database,
   * and returns their ids: a job one call returned is returned by no other.
   */
  claim: (limit: number) => Promise<JobId[]>
  /** Runs one claimed job to its end (success, retry scheduled, or failure recorded). */
  run: (id: JobId) => Promise<unknown>
  /** How many jobs this process runs at once; a tick claims only as many as are free. */
  concurrency: number
  onError: (error: unknown) => void
}

export type JobRunner = {
  /** Claims what is due and starts it; does nothing while a claim is under way or stopped. */
  tick: () => Promise<void>
  /** No more claims; resolves once the jobs already claimed have finished. */
  stop: () => Promise<void>
  readonly runningCount: number
}

/**
 * The loop of one process's job runner, without its clock: a tick claims only what this process
 * has room for and does not wait for the jobs it starts, so a long import never holds back a
 * scheduled publish that falls due meanwhile.
 */
export const createJobRunner = ({ claim, run, concurrency, onError }: JobRunnerArgs): JobRunner => {
  const running = new Set<Promise<void>>()
  let claiming: Promise<void> | undefined
  let isStopped = false

  const start = (id: JobId) => {
    const job: Promise<void> = run(id)
      .then(() => undefined)
      .catch(onError)
      .finally(() => running.delete(job))
    running.add(job)
  }

  const claimAndStart = async () => {
    try {
      const ids = await claim(concurrency - running.size)
      // Claimed jobs run even if stop() came meanwhile: nobody else may run them now.
      for (const id of ids) start(id)
    } catch (error) {
      onError(error)
    }
  }

  return {
    tick: async () => {
      if (isStopped || claiming || running.size >= concurrency) return
      claiming = claimAndStart().finally(() => (claiming = undefined))
      await claiming
    },
    stop: async () => {
      isStopped = true
      await claiming
      await Promise.allSettled([...running])
    },
    get runningCount() {
      return running.size
    },
  }
}
