import type { FlattenedField } from 'payload'
import { describe, expect, it } from 'vitest'

import { maxPage, findQueryProblem, type QueryContext } from './queryParams'
import type { Schema } from './schema'
import { findWhereProblem, maxWhereNesting } from './where'

const categoryFields = [{ name: 'name', type: 'text' }] as FlattenedField[]
const itemFields = [
  { name: 'name', type: 'text' },
  { name: 'price', type: 'number' },
  { name: 'isAvailable', type: 'checkbox' },
  { name: 'createdAt', type: 'date' },
  { name: 'category', type: 'relationship', relationTo: 'categories' },
  { name: '_status', type: 'select', options: [{ label: 'Draft', value: 'draft' }, 'published'] },
  { name: 'location', type: 'point' },
  { name: 'hash', type: 'text', hidden: true },
  { name: 'meta', type: 'group', flattenedFields: [{ name: 'rank', type: 'number' }] },
] as FlattenedField[]

const schema: Schema = {
  fieldsOf: (slug) => ({ items: itemFields, categories: categoryFields })[slug],
  hasNumericIds: () => true,
}

const context: QueryContext = {
  schema,
  collectionSlug: 'items',
  fields: itemFields,
  maxDepth: 10,
  allowsUnlimited: false,
}

describe('findQueryProblem', () => {
  it.each([
    [{}],
    [{ limit: '10', page: '3', depth: '0', draft: 'true', pagination: 'false' }],
    [{ sort: '-createdAt,name' }],
    [{ sort: 'category.name' }],
    [{ where: { price: { greater_than: '100' }, category: { in: '1,2' } } }],
    [{ where: '{"name":{"like":"tea"}}' }],
    [{ select: { name: 'true' }, joins: 'false', locale: 'en' }],
  ])('should accept %j', (query) => {
    expect(findQueryProblem(query, context)).toBeUndefined()
  })

  it.each([
    [{ limit: '0' }, /limit/],
    [{ limit: '101' }, /limit/],
    [{ limit: ['1', '2'] }, /once/],
    [{ page: '0' }, /page/],
    [{ page: String(maxPage + 1) }, /page/],
    [{ depth: '11' }, /depth/],
    [{ draft: 'yes' }, /draft/],
    [{ where: 'abc' }, /where/],
    [{ where: '[1]' }, /where/],
    [{ data: '{' }, /data/],
    [{ sort: 'nope' }, /sort/],
    [{ sort: 'name;drop' }, /sort/],
    [{ select: 'name' }, /select/],
    [{ locale: "en';" }, /locale/],
    [{ q: 'a\u0000' }, /NUL/],
  ])('should refuse %j', (query, message) => {
    expect(findQueryProblem(query, context)).toMatch(message)
  })

  it('should take limit=0 ("every match") only where bulk writes allow it', () => {
    expect(findQueryProblem({ limit: '0' }, { ...context, allowsUnlimited: true })).toBeUndefined()
  })
})

describe('findWhereProblem', () => {
  const args = { schema, collectionSlug: 'items', fields: itemFields }

  it.each([
    [{ or: [{ name: { equals: 'Tea' } }, { and: [{ price: { less_than: 5 } }] }] }],
    [{ id: { in: ['1', '2'] }, _status: { equals: 'draft' } }],
    [{ category: { equals: 'null' }, isAvailable: { exists: 'true' } }],
    [{ 'category.name': { like: 'tea' }, 'meta.rank': { greater_than: '2' } }],
    [{ location: { near: '1,2,1000' } }],
    [{ unknownField: { equals: 'left to Payload' } }],
  ])('should accept %j', (where) => {
    expect(findWhereProblem(where, args)).toBeUndefined()
  })

  it.each([
    [{ price: { equals: 'abc' } }, /price/],
    [{ price: { in: 'a,b' } }, /price/],
    [{ price: { near: '1,2' } }, /near/],
    [{ name: { within: 'x' } }, /within/],
    [{ price: { like: '1' } }, /like/],
    [{ category: { equals: 'abc' } }, /category/],
    [{ id: { equals: '2147483648' } }, /id/],
    [{ createdAt: { greater_than: 'yesterday' } }, /createdAt/],
    [{ isAvailable: { equals: 'maybe' } }, /isAvailable/],
    [{ _status: { equals: 'deleted' } }, /_status/],
    [{ 'meta.rank': { equals: 'high' } }, /meta\.rank/],
    [{ hash: { exists: 'true' } }, /hash/],
    [{ name: { drop: 'x' } }, /operator/],
    [{ name: 'x' }, /operator/],
    [{ or: 'x' }, /list/],
    [{ or: ['x'] }, /object/],
    [{ name: { equals: { $gt: '' } } }, /object/],
  ])('should refuse %j', (where, message) => {
    expect(findWhereProblem(where, args)).toMatch(message)
  })

  it(`should refuse and/or nested deeper than ${maxWhereNesting} levels`, () => {
    const deep = Array.from({ length: maxWhereNesting + 1 }).reduce<object>(
      (inner) => ({ and: [inner] }),
      { name: { equals: 'x' } },
    )
    expect(findWhereProblem(deep, args)).toMatch(/nested/)
  })
})
