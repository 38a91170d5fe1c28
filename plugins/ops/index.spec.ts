import type { Config } from 'payload'
import { describe, expect, it } from 'vitest'

import { opsPlugin } from '.'

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

describe('opsPlugin', () => {
  it('should return a new config and leave the incoming one untouched', () => {
    const config = incoming()
    const snapshot = JSON.stringify(config)
    const result = opsPlugin({
      cache: { endpoints: [{ path: '/feed', build: async () => ({}) }] },
    })(config)
    expect(JSON.stringify(config)).toBe(snapshot)
    expect(config.collections?.[0].hooks?.afterChange).toEqual([existingHook])
    expect(result).not.toBe(config)
  })

  it('should add the audit collection, append hooks after existing ones and add the endpoint', () => {
    const result = opsPlugin({
      cache: { endpoints: [{ path: '/feed', build: async () => ({}) }] },
    })(incoming())
    expect(result.collections?.map((collection) => collection.slug)).toEqual([
      'posts',
      'users',
      'audit-logs',
    ])
    const posts = result.collections?.[0]
    expect(posts?.hooks?.afterChange?.[0]).toBe(existingHook)
    expect(posts?.hooks?.afterChange).toHaveLength(3)
    const users = result.collections?.[1]
    expect(users?.hooks?.afterLogin).toHaveLength(1)
    expect(users?.hooks?.beforeOperation).toHaveLength(1)
    expect(users?.hooks?.afterOperation).toHaveLength(1)
    expect(posts?.hooks?.beforeOperation ?? []).toHaveLength(0)
    expect(result.hooks?.afterError).toHaveLength(1)
    expect(result.globals?.[0].hooks?.afterChange).toHaveLength(2)
    expect(result.endpoints?.map((endpoint) => endpoint.path)).toEqual(['/feed'])
  })

  it('should keep the audit collection in the schema when disabled, and add nothing else', () => {
    const result = opsPlugin({ disabled: true })(incoming())
    expect(result.collections?.map((collection) => collection.slug)).toContain('audit-logs')
    expect(result.collections?.[0].hooks?.afterChange).toEqual([existingHook])
    expect(result.onInit).toBeUndefined()
  })

  it('should record reads only of the collections named in recordReadsOf', () => {
    const result = opsPlugin({ audit: { recordReadsOf: ['users'] } })(incoming())
    expect(result.collections?.[0].hooks?.afterOperation ?? []).toHaveLength(0)
    // The read hook, and the unlock hook every auth collection gets.
    expect(result.collections?.[1].hooks?.afterOperation).toHaveLength(2)
  })

  it('should make the audit log impossible to write through any API', async () => {
    const auditLogs = opsPlugin()(incoming()).collections?.find(
      (collection) => collection.slug === 'audit-logs',
    )
    const args = { req: { user: { id: 1, role: 'admin' } } } as never
    expect(await auditLogs?.access?.create?.(args)).toBe(false)
    expect(await auditLogs?.access?.update?.(args)).toBe(false)
    expect(await auditLogs?.access?.delete?.(args)).toBe(false)
  })
})
