import path from 'node:path'

import type { Config, Field } from 'payload'
import { describe, expect, it } from 'vitest'

import { auditLogPlugin } from '.'
import { retentionQueue, retentionTaskSlug } from './defaults'

const existingHook = () => undefined
const incoming = (): Config =>
  ({
    collections: [
      { slug: 'posts', fields: [], hooks: { afterChange: [existingHook] } },
      { slug: 'users', fields: [], auth: true },
    ],
    globals: [{ slug: 'header', fields: [] }],
    endpoints: [],
  }) as unknown as Config

describe('auditLogPlugin', () => {
  it('should return a new config and leave the incoming one untouched', () => {
    const config = incoming()
    const snapshot = JSON.stringify(config)
    const result = auditLogPlugin()(config)
    expect(JSON.stringify(config)).toBe(snapshot)
    expect(config.collections?.[0].hooks?.afterChange).toEqual([existingHook])
    expect(result).not.toBe(config)
  })

  it('should add the audit collection and append hooks after existing ones', () => {
    const result = auditLogPlugin()(incoming())
    expect(result.collections?.map((collection) => collection.slug)).toEqual([
      'posts',
      'users',
      'audit-logs',
    ])
    const posts = result.collections?.[0]
    expect(posts?.hooks?.afterChange?.[0]).toBe(existingHook)
    expect(posts?.hooks?.afterChange).toHaveLength(2)
    const users = result.collections?.[1]
    expect(users?.hooks?.afterLogin).toHaveLength(1)
    expect(users?.hooks?.beforeOperation).toHaveLength(1)
    expect(users?.hooks?.afterOperation).toHaveLength(1)
    expect(posts?.hooks?.beforeOperation ?? []).toHaveLength(0)
    expect(result.hooks?.afterError).toHaveLength(1)
    expect(result.globals?.[0].hooks?.afterChange).toHaveLength(1)
  })

  it('should keep the audit collection and the retention task when disabled, and add no hooks', () => {
    const result = auditLogPlugin({ disabled: true })(incoming())
    expect(result.collections?.map((collection) => collection.slug)).toContain('audit-logs')
    expect(result.collections?.[0].hooks?.afterChange).toEqual([existingHook])
    expect(result.jobs?.tasks?.map((task) => task.slug)).toEqual([retentionTaskSlug])
    expect(result.jobs?.autoRun).toBeUndefined()
    expect(result.onInit).toBeUndefined()
  })

  it('should schedule retention as a Payload job run by autoRun on its own queue', () => {
    const appTask = { slug: 'appTask', handler: async () => ({ output: {} }) }
    const appCron = { cron: '* * * * *', queue: 'app' }
    const config = { ...incoming(), jobs: { tasks: [appTask], autoRun: [appCron] } } as Config
    const result = auditLogPlugin({ retentionSchedule: '0 3 * * *' })(config)
    const task = result.jobs?.tasks?.[1]
    expect(result.jobs?.tasks?.[0]).toBe(appTask)
    expect(task?.slug).toBe(retentionTaskSlug)
    expect(task?.schedule).toEqual([{ cron: '0 3 * * *', queue: retentionQueue }])
    const autoRun = result.jobs?.autoRun as { queue?: string }[]
    expect(autoRun.map((cron) => cron.queue)).toEqual(['app', retentionQueue])
  })

  it('should keep the task and its schedule but add no cron where retention does not run', () => {
    const appCron = { cron: '* * * * *', queue: 'app' }
    const config = { ...incoming(), jobs: { autoRun: [appCron] } } as Config
    const result = auditLogPlugin({ runsRetentionHere: false })(config)
    expect(result.jobs?.tasks?.[0].schedule).toHaveLength(1)
    expect(result.jobs?.autoRun).toEqual([appCron])
  })

  it('should record reads only of the collections named in recordReadsOf', () => {
    const result = auditLogPlugin({ recordReadsOf: ['users'] })(incoming())
    expect(result.collections?.[0].hooks?.afterOperation ?? []).toHaveLength(0)
    // The read hook, and the unlock hook every auth collection gets.
    expect(result.collections?.[1].hooks?.afterOperation).toHaveLength(2)
  })

  it('should make the audit log impossible to write through any API', async () => {
    const auditLogs = auditLogPlugin()(incoming()).collections?.find(
      (collection) => collection.slug === 'audit-logs',
    )
    const args = { req: { user: { id: 1, role: 'admin' } } } as never
    expect(await auditLogs?.access?.create?.(args)).toBe(false)
    expect(await auditLogs?.access?.update?.(args)).toBe(false)
    expect(await auditLogs?.access?.delete?.(args)).toBe(false)
  })

  // Regression: Payload's JSON field loads its code editor from a public CDN; offline, or under
  // a strict CSP, the changes stayed a grey bar.
  it('should show changes with its own server component instead of the JSON code editor', async () => {
    const auditLogs = auditLogPlugin()(incoming()).collections?.find(
      (collection) => collection.slug === 'audit-logs',
    )
    const changes = auditLogs?.fields.find(
      (field: Field) => 'name' in field && field.name === 'changes',
    )
    const components = changes?.admin?.components
    const componentPath = components && 'Field' in components ? components.Field : undefined
    expect(componentPath).toBe('/plugins/auditLog/components/AuditChangesField#AuditChangesField')
    // Payload resolves it from the project root: it must name a file and an export there.
    const [file, exportName] = String(componentPath).split('#')
    const projectRoot = path.resolve(import.meta.dirname, '../..')
    const exports = (await import(path.join(projectRoot, `${file}.tsx`))) as Record<string, unknown>
    expect(typeof exports[exportName]).toBe('function')
  })
})
