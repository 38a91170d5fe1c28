import type { FlattenedField } from 'payload'
import { describe, expect, it } from 'vitest'

import { maxPageSize, signedInMaxPageSize } from '../../config/graphql/graphqlLimits'
import { maxPage, findQueryProblem, type QueryContext } from './queryParams'
import type { Schema } from './schema'
import {
  findWhereArgumentProblem,
  findWhereProblem,
  maxRelationshipJoins,
  maxWhereBranches,
  maxWhereConditions,
  maxWhereNesting,
} from './where'

const categoryFields = [
  { name: 'name', type: 'text' },
  { name: 'items', type: 'join', collection: 'items', on: 'category' },
] as FlattenedField[]
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
  { name: 'description', type: 'richText' },
  { name: 'extra', type: 'json' },
  { name: 'images', type: 'upload', relationTo: 'media', hasMany: true },
] as FlattenedField[]
const mediaFields = [{ name: 'alt', type: 'text' }] as FlattenedField[]

const schema: Schema = {
  fieldsOf: (slug) => ({ items: itemFields, categories: categoryFields, media: mediaFields })[slug],
  hasNumericIds: () => true,
}

const context: QueryContext = {
  schema,
  collectionSlug: 'items',
  fields: itemFields,
  maxDepth: 10,
  allowsUnlimited: false,
  maxLimit: maxPageSize,
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

  it("should give signed-in requests the admin's page of 250, and no more", () => {
    const signedIn = { ...context, maxLimit: signedInMaxPageSize }
    expect(findQueryProblem({ limit: '250' }, signedIn)).toBeUndefined()
    expect(findQueryProblem({ limit: '251' }, signedIn)).toBe(
      'limit must be a whole number from 1 to 250.',
    )
    expect(findQueryProblem({ limit: '250' }, context)).toBe(
      'limit must be a whole number from 1 to 100.',
    )
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

/** `count` conditions made by `condition(index)`. */
const conditions = (count: number, condition: (index: number) => object) =>
  Array.from({ length: count }, (_, index) => condition(index))

describe('findWhereProblem: size limits', () => {
  const args = { schema, collectionSlug: 'items', fields: itemFields }

  it(`should accept and/or lists of ${maxWhereBranches}, and ${maxRelationshipJoins} relationship paths`, () => {
    const names = conditions(maxWhereBranches, (index) => ({ name: { equals: `n${index}` } }))
    expect(findWhereProblem({ or: names }, args)).toBeUndefined()
    expect(findWhereProblem({ and: names }, args)).toBeUndefined()
    const related = conditions(maxRelationshipJoins, (index) => ({
      'category.name': { like: `c${index}` },
    }))
    expect(findWhereProblem({ or: related }, args)).toBeUndefined()
  })

  it.each(['and', 'or'])(
    `should refuse an %s list of ${maxWhereBranches + 1}, naming the limit`,
    (key) => {
      const names = conditions(maxWhereBranches + 1, (index) => ({ name: { equals: `n${index}` } }))
      expect(findWhereProblem({ [key]: names }, args)).toMatch(
        `"${key}" list holds ${maxWhereBranches + 1} conditions; at most ${maxWhereBranches}`,
      )
      const asObject = Object.fromEntries(
        names.map((condition, index) => [String(index), condition]),
      )
      expect(findWhereProblem({ [key]: asObject }, args)).toMatch(`at most ${maxWhereBranches}`)
    },
  )

  it(`should refuse more than ${maxWhereConditions} conditions however they are nested`, () => {
    const branch = { and: conditions(21, (index) => ({ price: { not_equals: index } })) }
    expect(findWhereProblem({ or: [branch, branch, branch, branch] }, args)).toBeUndefined()
    expect(findWhereProblem({ or: [branch, branch, branch, branch, branch] }, args)).toMatch(
      `more than ${maxWhereConditions} conditions`,
    )
  })

  it(`should count every relationship path and operator, up to ${maxRelationshipJoins} with the sort's`, () => {
    const related = (count: number) =>
      conditions(count, (index) => ({ 'category.name': { like: `c${index}` } }))
    const tooMany = new RegExp(`relationships .*at most ${maxRelationshipJoins}`)
    expect(findWhereProblem({ or: related(maxRelationshipJoins + 1) }, args)).toMatch(tooMany)
    expect(
      findWhereProblem({ 'category.name': { like: 'a', not_like: 'b' }, or: related(7) }, args),
    ).toMatch(tooMany)
    expect(
      findWhereProblem(
        { or: related(maxRelationshipJoins) },
        { ...args, relationshipJoinsInUse: 1 },
      ),
    ).toMatch(tooMany)
    // `category` and `category.id` are the item's own column: no join.
    const ownColumn = conditions(20, () => ({ 'category.id': { equals: '1' } }))
    expect(findWhereProblem({ or: ownColumn }, args)).toBeUndefined()
  })
})

describe('findWhereProblem: paths and operators that end in database errors', () => {
  const items = { schema, collectionSlug: 'items', fields: itemFields }
  const categories = { schema, collectionSlug: 'categories', fields: categoryFields }

  it.each([
    [{ description: { like: 'a' } }, /"like" cannot be used on description \(a richText field\)/],
    [{ description: { contains: 'a' } }, /richText/],
    [{ description: { greater_than: 'a' } }, /greater_than/],
    [{ extra: { not_like: 'a' } }, /json field/],
    [{ name: { all: 'a,b' } }, /"all" \(on name\) is not supported/],
    [{ unknownField: { all: 'a' } }, /"all"/],
    [{ 'category.items.name': { like: 'a' } }, /join field items/],
    [{ 'category.items': { exists: 'true' } }, /join field items/],
  ])('should refuse %j on items', (where, message) => {
    expect(findWhereProblem(where, items)).toMatch(message)
  })

  it.each([[{ 'items.category.name': { like: 'a' } }], [{ 'items.images.alt': { like: 'a' } }]])(
    'should refuse %j on categories: a join followed by a relationship',
    (where) => {
      expect(findWhereProblem(where, categories)).toMatch(/join field items/)
    },
  )

  it.each([
    [{ 'items.name': { like: 'a' } }],
    [{ 'items.category': { equals: '1' } }],
    [{ items: { exists: 'true' } }],
  ])('should accept %j on categories: a join at the start of a path', (where) => {
    expect(findWhereProblem(where, categories)).toBeUndefined()
  })

  it.each([[{ description: { equals: 'a' } }], [{ extra: { in: 'a,b' } }]])(
    'should accept %j on items',
    (where) => {
      expect(findWhereProblem(where, items)).toBeUndefined()
    },
  )
})

describe('findWhereArgumentProblem', () => {
  it("should hold GraphQL's AND and OR to the same limits", () => {
    const names = conditions(maxWhereBranches + 1, (index) => ({ name: { equals: `n${index}` } }))
    expect(findWhereArgumentProblem({ OR: names })).toMatch(`at most ${maxWhereBranches}`)
    expect(findWhereArgumentProblem({ AND: names.slice(1) })).toBeUndefined()
    expect(findWhereArgumentProblem({ tags: { all: ['a'] } })).toMatch(/"all"/)
    expect(findWhereArgumentProblem(undefined)).toBeUndefined()
  })
})

describe('findQueryProblem: joins', () => {
  const categoriesContext: QueryContext = {
    ...context,
    collectionSlug: 'categories',
    fields: categoryFields,
  }

  it.each([
    [{ joins: 'false' }],
    [{ joins: { items: 'false' } }],
    [{ joins: { items: { limit: '5', page: '2', sort: '-price', count: 'true' } } }],
    [{ joins: { items: { where: { price: { less_than: '100' } } } } }],
  ])('should accept %j', (query) => {
    expect(findQueryProblem(query, categoriesContext)).toBeUndefined()
  })

  it('should hold join limits to the same cap as the request', () => {
    const query = { joins: { items: { limit: '250' } } }
    expect(
      findQueryProblem(query, { ...categoriesContext, maxLimit: signedInMaxPageSize }),
    ).toBeUndefined()
    expect(findQueryProblem(query, categoriesContext)).toMatch(/from 1 to 100/)
  })

  it.each([
    [{ joins: 'abc' }, /joins must be false or an object/],
    [{ joins: { nope: { limit: '1' } } }, /no join field "nope"; it has items/],
    [{ joins: { items: 'abc' } }, /joins\[items\] must be false or an object/],
    [{ joins: { items: { depth: '2' } } }, /not a join setting/],
    [
      { joins: { items: { limit: '0' } } },
      /joins\[items\]\[limit\] must be a whole number from 1 to 100/,
    ],
    [{ joins: { items: { limit: '101' } } }, /limit/],
    [{ joins: { items: { page: '0' } } }, /page/],
    [{ joins: { items: { count: 'yes' } } }, /count/],
    [{ joins: { items: { sort: 'nope' } } }, /sort/],
    [{ joins: { items: { sort: 'category.name' } } }, /one field of items/],
    [{ joins: { items: { sort: ['name'] } } }, /sort/],
    [{ joins: { items: { where: 'abc' } } }, /where/],
    [{ joins: { items: { where: { price: { equals: 'abc' } } } } }, /joins\[items\]: where: price/],
  ])('should refuse %j', (query, message) => {
    expect(findQueryProblem(query, categoriesContext)).toMatch(message)
  })

  it('should refuse joins on a collection that has none', () => {
    expect(findQueryProblem({ joins: { items: { limit: '1' } } }, context)).toMatch(
      /items has no join field "items"/,
    )
  })

  it(`should count the sort's relationship paths with the where's`, () => {
    const where = {
      or: conditions(maxRelationshipJoins, (index) => ({ 'category.name': { like: `c${index}` } })),
    }
    expect(findQueryProblem({ where }, context)).toBeUndefined()
    expect(findQueryProblem({ where, sort: 'category.name' }, context)).toMatch(
      `at most ${maxRelationshipJoins}`,
    )
  })
})
