import type { TaskConfig, WorkflowConfig } from 'payload'
import { describe, expect, it } from 'vitest'

import { scheduledJobSlugs } from './scheduledJobSlugs'

const hourly = '0 * * * *'

describe('scheduledJobSlugs', () => {
  it('should name each scheduled task with the queue of each of its schedule entries', () => {
    expect(
      scheduledJobSlugs({
        jobs: {
          tasks: [
            { slug: 'prune', schedule: [{ queue: 'maintenance' }] },
            { slug: 'report', schedule: [{ queue: 'reports' }, { queue: 'default' }] },
          ],
        },
      }),
    ).toEqual([
      { kind: 'task', slug: 'prune', queue: 'maintenance' },
      { kind: 'task', slug: 'report', queue: 'reports' },
      { kind: 'task', slug: 'report', queue: 'default' },
    ])
  })

  it('should leave out tasks and workflows without a schedule, or with an empty one', () => {
    expect(
      scheduledJobSlugs({
        jobs: {
          tasks: [{ slug: 'schedulePublish' }, { slug: 'import', schedule: [] }],
          workflows: [{ slug: 'onboard', queue: 'people' }],
        },
      }),
    ).toEqual([])
  })

  it('should name scheduled workflows apart from tasks', () => {
    expect(
      scheduledJobSlugs({
        jobs: {
          tasks: [{ slug: 'prune', schedule: [{ queue: 'maintenance' }] }],
          workflows: [{ slug: 'digest', schedule: [{ queue: 'mail' }] }],
        },
      }),
    ).toEqual([
      { kind: 'task', slug: 'prune', queue: 'maintenance' },
      { kind: 'workflow', slug: 'digest', queue: 'mail' },
    ])
  })

  it("should fall back as Payload does: a workflow's own queue, then 'default'", () => {
    expect(
      scheduledJobSlugs({
        jobs: {
          tasks: [{ slug: 'prune', schedule: [{}] }],
          workflows: [
            { slug: 'digest', queue: 'mail', schedule: [{}] },
            { slug: 'cleanup', schedule: [{}] },
          ],
        },
      }),
    ).toEqual([
      { kind: 'task', slug: 'prune', queue: 'default' },
      { kind: 'workflow', slug: 'digest', queue: 'mail' },
      { kind: 'workflow', slug: 'cleanup', queue: 'default' },
    ])
  })

  it('should read a config without jobs, or with no tasks or workflows', () => {
    expect(scheduledJobSlugs({})).toEqual([])
    expect(scheduledJobSlugs({ jobs: {} })).toEqual([])
  })

  it("should read Payload's own task and workflow configs as they are", () => {
    const task: TaskConfig<{ input: object; output: object }> = {
      slug: 'prune',
      handler: async () => ({ output: {} }),
      schedule: [{ cron: hourly, queue: 'maintenance' }],
    }
    const workflow: WorkflowConfig = {
      slug: 'digest',
      handler: async () => {},
      schedule: [{ cron: hourly, queue: 'mail' }],
    }
    expect(scheduledJobSlugs({ jobs: { tasks: [task], workflows: [workflow] } })).toEqual([
      { kind: 'task', slug: 'prune', queue: 'maintenance' },
      { kind: 'workflow', slug: 'digest', queue: 'mail' },
    ])
  })
})
