import type { FlattenedField } from 'payload'
import { describe, expect, it } from 'vitest'

import { checkFieldValues } from './fieldValues'

const fields = [
  { name: 'name', type: 'text' },
  { name: 'price', type: 'number', min: 0, max: 100 },
  { name: 'isAvailable', type: 'checkbox' },
  { name: 'publishedAt', type: 'date' },
  { name: 'status', type: 'select', options: ['draft', { label: 'Live', value: 'live' }] },
  { name: 'category', type: 'relationship', relationTo: 'categories' },
  { name: 'images', type: 'upload', relationTo: 'media', hasMany: true },
  { name: 'tags', type: 'text', hasMany: true },
  { name: 'body', type: 'richText' },
  { name: 'extra', type: 'json' },
  { name: 'items', type: 'join' },
  { name: 'seo', type: 'group', flattenedFields: [{ name: 'title', type: 'text' }] },
  { name: 'rows', type: 'array', flattenedFields: [{ name: 'label', type: 'text' }] },
  { name: 'hash', type: 'text', hidden: true },
] as FlattenedField[]

const check = (data: Record<string, unknown>, rejectUnknownKeys = true) =>
  checkFieldValues(fields, data, {
    rejectUnknownKeys,
    extraTextKeys: ['password'],
    hasNumericIds: () => true,
  })

const paths = (data: Record<string, unknown>) => check(data).problems.map((problem) => problem.path)

describe('checkFieldValues', () => {
  it('should accept well-typed values and collect the relationship ids to look up', () => {
    const result = check({
      name: 'Tea',
      price: 12,
      isAvailable: false,
      publishedAt: '2026-01-31T12:00:00.000Z',
      status: 'live',
      category: 3,
      images: [4, { id: '5' }],
      tags: ['a', 'b'],
      body: { root: { children: [] } },
      extra: [1, 'anything'],
      items: { docs: [] },
      seo: { title: 'x' },
      rows: [{ id: 'r1', label: 'y' }],
      password: 'secret secret',
    })
    expect(result.problems).toEqual([])
    expect(result.references).toEqual([
      { path: 'category', collection: 'categories', id: 3 },
      { path: 'images.0', collection: 'media', id: 4 },
      { path: 'images.1', collection: 'media', id: 5 },
    ])
  })

  it('should accept null for any field', () => {
    expect(paths({ name: null, price: null, category: null, body: null })).toEqual([])
  })

  it.each([
    [{ name: 5 }, 'name'],
    [{ name: { first: 'a' } }, 'name'],
    [{ price: 'abc' }, 'price'],
    [{ price: Infinity }, 'price'],
    [{ price: 101 }, 'price'],
    [{ price: -1 }, 'price'],
    [{ isAvailable: 'yes' }, 'isAvailable'],
    [{ publishedAt: 'soon' }, 'publishedAt'],
    [{ status: 'gone' }, 'status'],
    [{ category: 'abc' }, 'category'],
    [{ category: 1.5 }, 'category'],
    [{ category: 2_147_483_648 }, 'category'],
    [{ category: [1] }, 'category'],
    [{ images: 'abc' }, 'images'],
    [{ images: [0] }, 'images.0'],
    [{ tags: 'a,b' }, 'tags'],
    [{ tags: [{}] }, 'tags.0'],
    [{ body: 'plain' }, 'body'],
    [{ seo: 'x' }, 'seo'],
    [{ seo: { title: 1 } }, 'seo.title'],
    [{ rows: [{ label: 2 }] }, 'rows.0.label'],
    [{ password: 123 }, 'password'],
    [{ colour: 'red' }, 'colour'],
  ])('should refuse %j at %s', (data, path) => {
    expect(paths(data)).toContain(path)
  })

  it('should report hidden fields apart, to be dropped, without refusing them', () => {
    const result = check({ hash: 'x', name: 'Tea' })
    expect(result.problems).toEqual([])
    expect(result.hiddenKeys).toEqual(['hash'])
  })

  it('should let unknown keys through when told to', () => {
    expect(check({ colour: 'red' }, false).problems).toEqual([])
  })
})
