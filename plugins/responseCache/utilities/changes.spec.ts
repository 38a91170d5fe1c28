import { describe, expect, it } from 'vitest'

import { changedSlug, parseChangeMessage, toChangeMessage } from './changes'

describe('change messages', () => {
  it('should read back what was sent', () => {
    for (const change of [
      { collection: 'items', id: 7 },
      { collection: 'items', id: 'a1b2' },
      { collection: 'items' },
      { collection: 'items', id: 7, fields: ['name', 'price'] },
      { collection: 'items', id: 7, fields: [] },
      { global: 'header' },
    ])
      expect(parseChangeMessage(toChangeMessage(change))).toEqual({ change, origin: undefined })
  })

  it('should carry the sender and its sequence number, so a listener can tell it missed one', () => {
    const origin = { sender: 'replica-a', sequence: 41 }
    expect(parseChangeMessage(toChangeMessage({ collection: 'items', id: 7 }, origin))).toEqual({
      change: { collection: 'items', id: 7 },
      origin,
    })
  })

  it("should keep the previous release's `slug` in the message, for replicas still running it", () => {
    expect(JSON.parse(toChangeMessage({ collection: 'items', id: 7 }))).toEqual({
      collection: 'items',
      id: 7,
      slug: 'items',
    })
    expect(JSON.parse(toChangeMessage({ global: 'header' }))).toEqual({
      global: 'header',
      slug: 'header',
    })
  })

  it('should attribute nothing to messages it does not understand', () => {
    for (const message of [
      '',
      'not json',
      'null',
      '42',
      JSON.stringify({ slug: 'items' }),
      JSON.stringify({ collection: 'items', id: { nested: true } }),
      JSON.stringify({ collection: 'items', global: 'header' }),
      JSON.stringify({ global: 'header', id: 1 }),
      JSON.stringify({ collection: 'items', id: 1, fields: 'name' }),
      JSON.stringify({ collection: 'items', id: 1, fields: [1] }),
    ])
      expect(parseChangeMessage(message).change).toBeUndefined()
  })

  it('should name the changed slug, or none', () => {
    expect(changedSlug({ collection: 'items', id: 1 })).toBe('items')
    expect(changedSlug({ global: 'header' })).toBe('header')
    expect(changedSlug(undefined)).toBe('')
  })
})
