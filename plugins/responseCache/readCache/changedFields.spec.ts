import { describe, expect, it } from 'vitest'

import { changedFields } from './changedFields'

describe('changed fields', () => {
  it('should name the top-level fields whose values differ', () => {
    expect(
      changedFields(
        { id: 1, name: 'A', price: 1, tags: ['x'], group: { a: 1 } },
        { id: 1, name: 'B', price: 1, tags: ['x', 'y'], group: { a: 1 } },
      ),
    ).toEqual(['name', 'tags'])
  })

  it('should compare related documents by id, whatever their depth', () => {
    expect(
      changedFields(
        { category: 3, images: [1, 2] },
        { category: { id: 3, name: 'C' }, images: [{ id: 1 }, { id: 2 }] },
      ),
    ).toEqual([])
    expect(changedFields({ category: 3 }, { category: { id: 4 } })).toEqual(['category'])
  })

  it('should count fields that appear or disappear, and everything on a create', () => {
    expect(changedFields({ a: 1 }, { b: 1 })).toEqual(['a', 'b'])
    expect(changedFields(undefined, { a: 1 })).toBeUndefined()
    expect(changedFields({}, { a: 1 })).toBeUndefined()
  })

  it('should count every field when the previous version is a draft, not what readers were shown', () => {
    // An update over a pending draft writes the draft and its status over the published row.
    expect(
      changedFields(
        { _status: 'draft', price: 3 },
        { _status: 'draft', price: 3, isAvailable: false },
      ),
    ).toBeUndefined()
    expect(
      changedFields({ _status: 'published', price: 3 }, { _status: 'draft', price: 3 }),
    ).toEqual(['_status'])
  })
})
