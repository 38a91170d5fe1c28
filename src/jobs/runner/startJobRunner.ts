import type { Payload } from 'payload'

import { stopOnDestroy } from '../../../plugins/payloadInternals'
import { claimDueJobs } from './claimDueJobs'
import { createJobRunner } from './jobRunner'

export type StartJobRunnerArgs = {
  payload: Payload
  queue: string
  intervalMs: number
  concurrency: number
}

/**
 * Runs the queue's due jobs on this replica every `intervalMs`, each exactly once across replicas
 * (claimDueJobs), until the Payload instance is destroyed; its destroy() then waits for the jobs
 * this replica started.
 */
export const startJobRunner = ({
  payload,
  queue,
  intervalMs,
  concurrency,
}: StartJobRunnerArgs): void => {
  const runner = createJobRunner({
    concurrency,
    claim: (limit) => claimDueJobs({ payload, queue, limit }),
    // A task's own failure is recorded on its job by Payload; what reaches here is the runner's.
    run: (id) => payload.jobs.runByID({ id }),
    onError: (err) => payload.logger.error({ err, msg: `The job runner of queue ${queue} failed` }),
  })
  // Not holding the process open: scripts and tests end when their work does.
  const timer = setInterval(() => void runner.tick(), intervalMs).unref()
  void runner.tick()
  stopOnDestroy(payload, async () => {
    clearInterval(timer)
    await runner.stop()
  })
  payload.logger.info({ msg: `Job runner started on queue ${queue}, every ${intervalMs} ms` })
}
