import type { Config } from 'payload'
import { describe, expect, it } from 'vitest'

import { cdnPurgePlugin, type FilePurgeOptions } from '.'

const existingHook = () => undefined
const existingOnInit = () => undefined
const incoming = (): Config =>
  ({
    collections: [
      { slug: 'media', fields: [], upload: true, hooks: { afterDelete: [existingHook] } },
      { slug: 'posts', fields: [] },
    ],
    onInit: existingOnInit,
  }) as unknown as Config

const files: FilePurgeOptions = {
  collections: ['media'],
  urlPrefixes: ['https://media.example.com/'],
}

describe('cdnPurgePlugin', () => {
  it('should return a new config and leave the incoming one untouched', () => {
    const config = incoming()
    const snapshot = JSON.stringify(config)
    const result = cdnPurgePlugin({ files })(config)
    expect(JSON.stringify(config)).toBe(snapshot)
    expect(config.collections?.[0].hooks?.afterDelete).toEqual([existingHook])
    expect(result).not.toBe(config)
    expect(result.onInit).not.toBe(existingOnInit)
  })

  it('should note removed files on the upload collections it is given, after their own hooks', () => {
    const [media, posts] = cdnPurgePlugin({ files })(incoming()).collections ?? []
    expect(media.hooks?.afterDelete?.[0]).toBe(existingHook)
    expect(media.hooks?.afterDelete).toHaveLength(2)
    expect(media.hooks?.afterChange).toHaveLength(1)
    expect(posts.hooks?.afterDelete).toBeUndefined()
  })

  it('should add nothing when disabled', () => {
    const config = incoming()
    const result = cdnPurgePlugin({ disabled: true, files })(config)
    expect(result.collections).toBe(config.collections)
    expect(result.onInit).toBe(existingOnInit)
  })
})
