/**
 * A task or workflow as far as Payload's scheduler reads it. Only workflows have a `queue` of their
 * own; the real configs (`TaskConfig`, `WorkflowConfig`) fit this shape as they are.
 */
type Schedulable = {
  slug: string
  queue?: string
  schedule?: readonly { queue?: string }[]
}

type ConfigWithJobs = {
  jobs?: { tasks?: readonly Schedulable[]; workflows?: readonly Schedulable[] }
}

/** A task or workflow Payload's scheduler queues on its own clock, and the queue it queues it on. */
export type ScheduledJobSlug = { kind: 'task' | 'workflow'; slug: string; queue: string }

/** The `queue` field's default in Payload's jobs collection (queues/config/collection.js). */
const payloadDefaultQueue = 'default'

/**
 * Payload's scheduler hands `schedule[].queue` to `payload.jobs.queue`, which, given none, falls
 * back to a workflow's own queue and then leaves the collection's default to the row.
 */
const scheduledOn = (kind: ScheduledJobSlug['kind'], schedulables: readonly Schedulable[] = []) =>
  schedulables.flatMap(({ slug, queue, schedule = [] }) =>
    schedule.map((entry): ScheduledJobSlug => ({
      kind,
      slug,
      queue: entry.queue || queue || payloadDefaultQueue,
    })),
  )

/**
 * Every job Payload's scheduler may queue by itself, read from the config the server runs: a task
 * or workflow with a `schedule`, on each schedule entry's queue. Pairs rather than queues: a
 * schedule on the default queue must not hide the jobs API callers queue there.
 */
export const scheduledJobSlugs = ({ jobs }: ConfigWithJobs): ScheduledJobSlug[] => [
  ...scheduledOn('task', jobs?.tasks),
  ...scheduledOn('workflow', jobs?.workflows),
]
