import { describe, expect, it } from 'vitest'

import { wherePaths } from './queryFields'

describe('fields a query reads', () => {
  it('should find every path of a where, inside and/or at any depth', () => {
    expect(
      wherePaths({
        _status: { equals: 'published' },
        or: [{ name: { like: 'a' } }, { and: [{ 'category.slug': { equals: 'c' } }] }],
        AND: [{ price: { greater_than: 1 } }],
      }).sort(),
    ).toEqual(['_status', 'category.slug', 'name', 'price'])
    expect(wherePaths(undefined)).toEqual([])
    expect(wherePaths(true)).toEqual([])
  })
})
