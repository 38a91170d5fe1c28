import {
  GraphQLBoolean,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  Kind,
  parse,
  validate,
  type FragmentDefinitionNode,
  type GraphQLFieldConfigMap,
  type OperationDefinitionNode,
} from 'graphql'
import { describe, expect, it } from 'vitest'

import {
  estimateOperationCost,
  formatCount,
  queryCostRule,
  tooComplexMessage,
  tooManyDocumentsMessage,
  unboundedListMessage,
} from './graphqlCost'

/**
 * Shaped as Payload builds it: list queries and joins return pages (`docs`), relationship, upload
 * and join fields carry `extensions: { complexity: 10, field }`.
 */
const relation = (field: Record<string, unknown>) => ({ complexity: 10, field })

const pageOf = (name: string, type: GraphQLObjectType) =>
  new GraphQLObjectType({
    name,
    fields: {
      docs: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(type))) },
      hasNextPage: { type: GraphQLBoolean },
    },
  })

const listArgs = { limit: { type: GraphQLInt }, pagination: { type: GraphQLBoolean } }

const Media: GraphQLObjectType = new GraphQLObjectType({
  name: 'Media',
  fields: { id: { type: GraphQLInt }, url: { type: GraphQLString } },
})
const Category: GraphQLObjectType = new GraphQLObjectType({
  name: 'Category',
  fields: (): GraphQLFieldConfigMap<unknown, unknown> => ({
    id: { type: GraphQLInt },
    name: { type: GraphQLString },
    items: {
      type: pageOf('Category_Items', Item),
      args: listArgs,
      extensions: relation({ type: 'join', defaultLimit: 100 }),
    },
  }),
})
const Item: GraphQLObjectType = new GraphQLObjectType({
  name: 'Item',
  fields: (): GraphQLFieldConfigMap<unknown, unknown> => ({
    id: { type: GraphQLInt },
    name: { type: GraphQLString },
    tags: { type: new GraphQLList(GraphQLString) },
    category: { type: Category, extensions: relation({ type: 'relationship' }) },
    images: {
      type: new GraphQLList(new GraphQLNonNull(Media)),
      extensions: relation({ type: 'upload', hasMany: true }),
    },
    gallery: {
      type: new GraphQLList(new GraphQLNonNull(Media)),
      extensions: relation({ type: 'upload', hasMany: true, maxRows: 3 }),
    },
  }),
})
const Items = pageOf('Items', Item)

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      Items: { type: Items, args: listArgs },
      Item: { type: Item, args: { id: { type: GraphQLInt } } },
      Category: { type: Category, args: { id: { type: GraphQLInt } } },
      countItems: { type: GraphQLInt },
    },
  }),
  mutation: new GraphQLObjectType({
    name: 'Mutation',
    fields: { createItem: { type: Item, args: { name: { type: GraphQLString } } } },
  }),
})

const defaultPageSize = 10

const estimate = (query: string, variableValues?: Record<string, unknown>) => {
  const document = parse(query)
  const fragments = new Map(
    document.definitions
      .filter((definition) => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((definition) => [(definition as FragmentDefinitionNode).name.value, definition]),
  ) as Map<string, FragmentDefinitionNode>
  const operation = document.definitions.find(
    (definition) => definition.kind === Kind.OPERATION_DEFINITION,
  ) as OperationDefinitionNode
  return estimateOperationCost({ schema, operation, fragments, variableValues, defaultPageSize })
}

describe('estimateOperationCost', () => {
  it('should count a page at its limit, or at the default page size without one', () => {
    expect(estimate('{ Items(limit: 25) { docs { name } } }')).toEqual({
      complexity: 1 + 1 + 25,
      documents: 25,
      unboundedLists: [],
    })
    expect(estimate('{ Items { docs { name } } }').documents).toBe(defaultPageSize)
  })

  it('should multiply every level by the sizes of the lists around it', () => {
    // 100 items, each with its category, each with its 100 items: 10,200 documents.
    const nested = estimate(
      '{ Items(limit: 100) { docs { category { items(limit: 100) { docs { name } } } } } }',
    )
    expect(nested.documents).toBe(100 + 100 + 100 * 100)
    expect(nested.complexity).toBe(1 + 1 + 100 * (10 + 10 + 1 + 100 * 1))
  })

  it('should grow with the cube of the page size when nested three times', () => {
    const nest = (limit: number) =>
      estimate(
        `{ Category(id: 1) { items(limit: ${limit}) { docs { category { items(limit: ${limit}) { docs { category { items(limit: ${limit}) { docs { id } } } } } } } } } }`,
      ).documents
    expect(nest(100)).toBe(1 + 100 + 100 + 100 ** 2 + 100 ** 2 + 100 ** 3)
    expect(nest(10)).toBe(1 + 10 + 10 + 10 ** 2 + 10 ** 2 + 10 ** 3)
  })

  it("should count a join without limit at the join's default page size", () => {
    expect(estimate('{ Category(id: 1) { items { docs { id } } } }').documents).toBe(1 + 100)
  })

  it('should count a hasMany relationship at its maxRows, or at the default page size', () => {
    expect(estimate('{ Item(id: 1) { images { url } } }').documents).toBe(1 + defaultPageSize)
    expect(estimate('{ Item(id: 1) { gallery { url } } }').documents).toBe(1 + 3)
    expect(estimate('{ Items(limit: 50) { docs { images { url } } } }').documents).toBe(
      50 + 50 * defaultPageSize,
    )
  })

  it('should count scalar lists and root scalars as fields, not documents', () => {
    expect(estimate('{ Item(id: 1) { tags } countItems }')).toEqual({
      complexity: 3,
      documents: 1,
      unboundedLists: [],
    })
  })

  it('should count the document a mutation returns and what it nests', () => {
    expect(estimate('mutation { createItem(name: "x") { category { name } } }').documents).toBe(2)
  })

  it('should read limits from variables, and from their defaults when none is sent', () => {
    const query = 'query ($n: Int = 7) { Items(limit: $n) { docs { id } } }'
    expect(estimate(query).documents).toBe(7)
    expect(estimate(query, { n: 40 }).documents).toBe(40)
  })

  it('should report a list query with pagination: false and no limit as unbounded', () => {
    expect(estimate('{ Items(pagination: false) { docs { id } } }').unboundedLists).toEqual([
      'Items',
    ])
    expect(estimate('{ Items(pagination: false, limit: 5) { docs { id } } }')).toMatchObject({
      documents: 5,
      unboundedLists: [],
    })
  })

  it('should count fragments and inline fragments where they are spread, page size included', () => {
    const withFragments = estimate(`
      query { Category(id: 1) { items(limit: 20) { ...Page } } }
      fragment Page on Category_Items { docs { ... on Item { ...Related } } }
      fragment Related on Item { category { name } }
    `)
    expect(withFragments.documents).toBe(1 + 20 + 20)
  })

  it('should walk a fragment spread many times once, and not loop on a fragment cycle', () => {
    const spreads = Array.from({ length: 50 }, () => '...F').join(' ')
    expect(
      estimate(`{ Items(limit: 2) { docs { ${spreads} } } } fragment F on Item { category { id } }`)
        .documents,
    ).toBe(2 + 2 * 50)
    expect(
      estimate(
        '{ Item(id: 1) { ...A } } fragment A on Item { category { ...B } } fragment B on Category { items { docs { ...A } } }',
      ).documents,
    ).toBe(1 + 1 + 100)
  })
})

describe('queryCostRule', () => {
  const limits = { maxComplexity: 5000, maxDocuments: 1000, maxPageSize: 100, defaultPageSize }
  const check = (query: string, operationName?: string) =>
    validate(schema, parse(query), [queryCostRule({ ...limits, operationName })]).map(
      (error) => error.message,
    )

  it('should accept an operation within both limits', () => {
    expect(check('{ Items(limit: 100) { docs { name category { name } } } }')).toEqual([])
  })

  it('should refuse one that may resolve too many documents, naming the estimate and the limit', () => {
    expect(
      check('{ Items(limit: 100) { docs { category { items(limit: 100) { docs { id } } } } } }'),
    ).toEqual([
      tooManyDocumentsMessage(10_200, 1000),
      tooComplexMessage(1 + 1 + 100 * (10 + 10 + 1 + 100), 5000),
    ])
  })

  it('should refuse one that costs too much without many documents', () => {
    const fields = Array.from({ length: 60 }, (_, index) => `f${index}: name`).join(' ')
    expect(check(`{ Items(limit: 100) { docs { ${fields} } } }`)).toEqual([
      tooComplexMessage(2 + 100 * 60, 5000),
    ])
  })

  it('should refuse an unbounded list', () => {
    expect(check('{ Items(pagination: false) { docs { id } } }')).toEqual([
      unboundedListMessage('Items', 100),
    ])
  })

  it('should check only the operation that runs when one is named', () => {
    const query =
      'query Small { Items(limit: 1) { docs { id } } } query Big { Items(pagination: false) { docs { id } } }'
    expect(check(query, 'Small')).toEqual([])
    expect(check(query)).toHaveLength(1)
  })
})

describe('formatCount', () => {
  it('should group digits and keep huge estimates readable', () => {
    expect(formatCount(2_020_201)).toBe('2,020,201')
    expect(formatCount(1e300)).toBe('more than 10^15')
  })
})
