import type { FlattenedField } from 'payload'
import { describe, expect, it } from 'vitest'

import { collectJoinPageSizes } from './joinPageSizes'

const collection = (flattenedFields: unknown[]) => ({
  flattenedFields: flattenedFields as FlattenedField[],
})

describe('collectJoinPageSizes', () => {
  it("should give each joined collection its join's default limit, Payload's 10 without one", () => {
    const sizes = collectJoinPageSizes([
      collection([
        { name: 'items', type: 'join', collection: 'items', defaultLimit: 40 },
        { name: 'notes', type: 'join', collection: 'notes' },
      ]),
    ])
    expect(Object.fromEntries(sizes)).toEqual({ items: 40, notes: 10 })
  })

  it('should keep the largest page size where several joins lead into one collection', () => {
    const sizes = collectJoinPageSizes([
      collection([{ name: 'a', type: 'join', collection: 'items', defaultLimit: 5 }]),
      collection([
        {
          name: 'group',
          type: 'group',
          flattenedFields: [{ name: 'b', type: 'join', collection: ['items'], defaultLimit: 25 }],
        },
      ]),
    ])
    expect(sizes.get('items')).toBe(25)
  })
})
