import type { CollectionSlug, Config } from 'payload'
import { describe, expect, it } from 'vitest'

import { responseCachePlugin } from '.'

const existingHook = () => undefined
const existingOnInit = () => undefined
const incoming = (): Config =>
  ({
    collections: [
      { slug: 'posts', fields: [], hooks: { afterChange: [existingHook] } },
      { slug: 'users', fields: [], auth: true },
    ],
    globals: [{ slug: 'header', fields: [] }],
    endpoints: [],
    onInit: existingOnInit,
  }) as unknown as Config

const feed = { path: '/feed', build: async () => ({}) }

describe('responseCachePlugin', () => {
  it('should return a new config and leave the incoming one untouched', () => {
    const config = incoming()
    const snapshot = JSON.stringify(config)
    const result = responseCachePlugin({ endpoints: [feed] })(config)
    expect(JSON.stringify(config)).toBe(snapshot)
    expect(config.collections?.[0].hooks?.afterChange).toEqual([existingHook])
    expect(config.onInit).toBe(existingOnInit)
    expect(result).not.toBe(config)
  })

  it('should append invalidation hooks after existing ones and add the endpoint', () => {
    const result = responseCachePlugin({ endpoints: [feed] })(incoming())
    const posts = result.collections?.[0]
    expect(posts?.hooks?.afterChange?.[0]).toBe(existingHook)
    expect(posts?.hooks?.afterChange).toHaveLength(2)
    expect(posts?.hooks?.afterDelete).toHaveLength(1)
    expect(result.globals?.[0].hooks?.afterChange).toHaveLength(1)
    expect(result.endpoints?.map((endpoint) => endpoint.path)).toEqual(['/feed'])
    expect(result.onInit).not.toBe(existingOnInit)
  })

  it('should watch only the collections and globals it is given', () => {
    const result = responseCachePlugin({ endpoints: [feed], collections: ['users'], globals: [] })(
      incoming(),
    )
    expect(result.collections?.[0].hooks?.afterChange).toEqual([existingHook])
    expect(result.collections?.[1].hooks?.afterChange).toHaveLength(1)
    expect(result.globals?.[0].hooks?.afterChange ?? []).toHaveLength(0)
  })

  it('should keep the endpoints but add no hooks and no onInit when disabled', () => {
    const result = responseCachePlugin({ disabled: true, endpoints: [feed] })(incoming())
    expect(result.endpoints?.map((endpoint) => endpoint.path)).toEqual(['/feed'])
    expect(result.collections?.[0].hooks?.afterChange).toEqual([existingHook])
    expect(result.onInit).toBe(existingOnInit)
  })

  it('should track reads of the cacheable collections, and mark reads of the others', () => {
    const read = () => true
    const config = incoming()
    config.collections![0].access = { read }
    const result = responseCachePlugin({ collections: ['posts' as CollectionSlug] })(config)
    const [posts, users] = result.collections ?? []
    expect(posts?.hooks?.afterRead).toHaveLength(1)
    expect(posts?.hooks?.beforeOperation).toHaveLength(1)
    expect(posts?.access?.read).not.toBe(read)
    expect(config.collections?.[0].access?.read).toBe(read)
    // Auth collections are never cached: a read that touches one is not kept.
    expect(users?.hooks?.afterRead).toHaveLength(1)
    expect(result.globals?.[0].hooks?.afterRead).toHaveLength(1)
  })

  it('should add no read tracking when the read cache is off', () => {
    for (const options of [{ reads: { disabled: true } }, { disabled: true }]) {
      const result = responseCachePlugin(options)(incoming())
      expect(result.collections?.[0].hooks?.afterRead ?? []).toHaveLength(0)
      expect(result.collections?.[0].hooks?.beforeOperation ?? []).toHaveLength(0)
      expect(result.globals?.[0].hooks?.afterRead ?? []).toHaveLength(0)
    }
  })
})
