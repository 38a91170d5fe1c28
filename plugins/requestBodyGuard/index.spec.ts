import type { Config } from 'payload'
import { describe, expect, it } from 'vitest'

import { requestBodyGuardPlugin } from '.'

describe('requestBodyGuardPlugin', () => {
  const existingHook = () => undefined
  const incoming = {
    collections: [{ slug: 'things', fields: [], hooks: { beforeOperation: [existingHook] } }],
    globals: [{ slug: 'settings', fields: [] }],
  } as unknown as Config

  it('should put its guard first on every collection and global without mutating the input', () => {
    const snapshot = JSON.stringify(incoming)
    const config = requestBodyGuardPlugin()(incoming)
    const collectionHooks = config.collections?.[0].hooks?.beforeOperation ?? []
    expect(collectionHooks).toHaveLength(2)
    expect(collectionHooks[1]).toBe(existingHook)
    expect(config.globals?.[0].hooks?.beforeOperation).toHaveLength(1)
    expect(JSON.stringify(incoming)).toBe(snapshot)
    expect(incoming.collections?.[0].hooks?.beforeOperation).toHaveLength(1)
  })
})
