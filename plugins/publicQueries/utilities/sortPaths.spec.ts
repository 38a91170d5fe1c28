import type { FlattenedField } from 'payload'
import { describe, expect, it } from 'vitest'

import { collectionsAlongPath, requestedSortPaths, type FieldsOf } from './sortPaths'

const fields = (list: unknown[]) => list as FlattenedField[]

const collections: Record<string, FlattenedField[]> = {
  items: fields([
    { name: 'title', type: 'text' },
    { name: 'category', type: 'relationship', relationTo: 'categories' },
    { name: 'related', type: 'relationship', relationTo: ['items', 'categories'] },
    {
      name: 'meta',
      type: 'group',
      flattenedFields: [{ name: 'image', type: 'upload', relationTo: 'media' }],
    },
  ]),
  categories: fields([
    { name: 'name', type: 'text' },
    { name: 'items', type: 'join', collection: 'items', on: 'category' },
  ]),
  media: fields([{ name: 'alt', type: 'text' }]),
}
const fieldsOf: FieldsOf = (slug) => collections[slug]

describe('requestedSortPaths', () => {
  it('should list the sort and each join sort without directions', () => {
    expect(
      requestedSortPaths({ sort: '-title, category__name', joins: { items: { sort: ['-name'] } } }),
    ).toEqual(['title', 'category.name', 'name'])
  })

  it('should list nothing when nothing sorts', () => {
    expect(requestedSortPaths({})).toEqual([])
  })
})

describe('collectionsAlongPath', () => {
  it.each([
    ['a field of its own', 'title', []],
    ['a related field', 'category.name', ['categories']],
    ['a field inside a group', 'meta.image.alt', ['media']],
    ['back through a join', 'category.items.title', ['categories', 'items']],
    ["the relationship's own id", 'category.id', []],
    ['a polymorphic relationship', 'related.name', []],
    ['an unknown field', 'missing.name', []],
  ])('should follow %s', (_label, path, expected) => {
    expect(collectionsAlongPath(fieldsOf, collections.items, path)).toEqual(expected)
  })
})
