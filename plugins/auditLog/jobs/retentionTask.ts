import type { Config, TaskConfig } from 'payload'

import { retentionAutoRunCron, retentionQueue, retentionTaskSlug } from '../defaults'
import { pruneAuditLogs } from '../utilities/retention'

type RetentionArgs = {
  auditSlug: string
  retentionDays: number
  /** Cron expression; `false`: the task exists but nothing schedules it. */
  schedule: string | false
  /** Off: the task and its schedule stay in the config (they are schema), but never queue a job. */
  isEnabled: boolean
  /** This process runs (and queues) retention jobs: its autoRun cron is added. */
  runsHere: boolean
}

/** Typed here, not by the app's generated types: the plugin must compile in any app. */
type RetentionTaskIO = { input: object; output: { hasPruned: boolean } }

const neverSchedule = () => ({ shouldSchedule: false })

/**
 * The retention task: Payload queues it on its schedule (one pending job at a time, by default)
 * and its jobs `autoRun` runs it on every replica that runs jobs; the advisory lock in
 * `pruneAuditLogs` keeps two replicas from pruning at once.
 */
export const getRetentionTask = ({
  auditSlug,
  retentionDays,
  schedule,
  isEnabled,
}: RetentionArgs) =>
  ({
    slug: retentionTaskSlug,
    label: 'Prune the audit log',
    schedule:
      schedule === false
        ? undefined
        : [
            {
              cron: schedule,
              queue: retentionQueue,
              ...(isEnabled ? {} : { hooks: { beforeSchedule: neverSchedule } }),
            },
          ],
    retries: 2,
    handler: async ({ req }) => {
      const hasPruned = await pruneAuditLogs({ payload: req.payload, auditSlug, retentionDays })
      return { output: { hasPruned } }
    },
  }) satisfies TaskConfig<RetentionTaskIO>

type Jobs = NonNullable<Config['jobs']>
type AutoRun = NonNullable<Jobs['autoRun']>

/** The app's autoRun crons plus one for the retention queue, whatever form the app gave them in. */
const withRetentionAutoRun = (autoRun: AutoRun | undefined): AutoRun => {
  const retentionCron = { cron: retentionAutoRunCron, queue: retentionQueue, limit: 1 }
  if (typeof autoRun === 'function')
    return async (payload) => [...(await autoRun(payload)), retentionCron]
  return [...(autoRun ?? []), retentionCron]
}

/**
 * The incoming jobs config with the retention task added after the app's own tasks, and an
 * autoRun cron for its queue when it is scheduled.
 */
export const addRetentionJob = (jobs: Config['jobs'], args: RetentionArgs): Jobs => ({
  ...jobs,
  tasks: [...(jobs?.tasks ?? []), getRetentionTask(args)],
  ...(args.isEnabled && args.schedule !== false && args.runsHere
    ? { autoRun: withRetentionAutoRun(jobs?.autoRun) }
    : {}),
})
