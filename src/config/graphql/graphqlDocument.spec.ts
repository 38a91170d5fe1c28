import {
  buildSchema,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type ExecutionArgs,
  type ValidationRule,
} from 'graphql'
import { describe, expect, it } from 'vitest'

import {
  findDocumentErrors,
  operationTypeExistsRule,
  selectOperation,
  validDocumentsOnly,
} from './graphqlDocument'

/** Shaped like Payload's: a query and a mutation type, no subscription type. */
const schema = buildSchema(`
  type Item { id: Int! name: String category: Category }
  type Category { id: Int! name: String items: [Item] }
  type Query { Items(limit: Int, draft: Boolean): [Item] Category(id: Int!): Category }
  type Mutation { createCategory(name: String!): Category }
`)

const messagesOf = (errors: readonly GraphQLError[]) => errors.map((error) => error.message)

const check = (query: string, variableValues?: Record<string, unknown>, operationName?: string) =>
  messagesOf(
    findDocumentErrors({
      schema,
      document: parse(query),
      variableValues,
      operationName,
      rules: [],
    }),
  )

describe('operationTypeExistsRule', () => {
  it('should report a subscription to a schema without a subscription type', () => {
    const errors = validate(schema, parse('subscription { Items { id } }'), [
      operationTypeExistsRule,
    ])
    expect(messagesOf(errors)).toEqual([
      'The subscription operation is not supported by the schema.',
    ])
  })

  it('should accept queries and mutations', () => {
    const document = parse('query { Items { id } } mutation { createCategory(name: "x") { id } }')
    expect(validate(schema, document, [operationTypeExistsRule])).toEqual([])
  })
})

describe('selectOperation', () => {
  const document = parse('query A { Items { id } } query B { Items { name } }')

  it('should pick the named operation', () => {
    const operation = selectOperation(document, 'B')
    expect(operation).not.toBeInstanceOf(GraphQLError)
    expect(!(operation instanceof GraphQLError) && operation.name?.value).toBe('B')
  })

  it.each([
    [document, 'C', 'Unknown operation named "C".'],
    [document, undefined, 'Must provide operation name if query contains multiple operations.'],
    [parse('{ Items { id } }'), 'A', 'Unknown operation named "A".'],
    [parse('fragment F on Query { Items { id } }'), null, 'Must provide an operation.'],
  ])('should refuse %#: operationName %j', (source, operationName, message) => {
    expect((selectOperation(source, operationName) as GraphQLError).message).toBe(message)
  })

  it('should pick the only operation when no name is given', () => {
    expect(selectOperation(parse('{ Items { id } }'), null)).not.toBeInstanceOf(GraphQLError)
  })
})

describe('findDocumentErrors', () => {
  it.each([
    [
      'a fragment cycle',
      'query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }',
      'Cannot spread fragment "A" within itself via "B".',
    ],
    [
      'a fragment spreading itself',
      'query { ...A } fragment A on Query { ...A }',
      'Cannot spread fragment "A" within itself.',
    ],
    [
      'a subscription',
      'subscription { Items { id } }',
      'The subscription operation is not supported by the schema.',
    ],
    ['an unknown field', '{ Items { price } }', 'Cannot query field "price" on type "Item".'],
    ['an unknown fragment', '{ ...A }', 'Unknown fragment "A".'],
    [
      '@include without its argument',
      '{ Items @include { id } }',
      'Directive "@include" argument "if" of type "Boolean!" is required, but it was not provided.',
    ],
    [
      'two anonymous operations',
      '{ Items { id } } { Items { name } }',
      'This anonymous operation must be the only defined operation.',
    ],
  ])('should give the spec message for %s', (_label, query, message) => {
    expect(check(query)).toContain(message)
  })

  it('should refuse an operation name that names no operation', () => {
    expect(check('query A { Items { id } }', {}, 'B')).toEqual(['Unknown operation named "B".'])
  })

  it('should refuse variables that are missing or of the wrong type', () => {
    const query =
      'query ($id: Int!, $draft: Boolean) { Category(id: $id) { name } Items(draft: $draft) { id } }'
    expect(check(query, { draft: true })).toEqual([
      'Variable "$id" of required type "Int!" was not provided.',
    ])
    expect(check(query, { id: 'abc', draft: 'yes' })).toEqual([
      'Variable "$id" got invalid value "abc"; Int cannot represent non-integer value: "abc"',
      'Variable "$draft" got invalid value "yes"; Boolean cannot represent a non boolean value: "yes"',
    ])
  })

  it('should accept a document that can run', () => {
    expect(
      check('query ($id: Int!) { Category(id: $id) { name items { id } } }', { id: 1 }),
    ).toEqual([])
  })

  it('should run the given rules with the spec rules', () => {
    const limit: ValidationRule = (context) => ({
      Document() {
        context.reportError(new GraphQLError('Over the limit.'))
      },
    })
    const errors = findDocumentErrors({
      schema,
      document: parse('{ Items { id } }'),
      rules: [limit],
    })
    expect(messagesOf(errors)).toEqual(['Over the limit.'])
  })

  it('should refuse, not throw, when checking overflows the stack', () => {
    const overflowing: ValidationRule = () => ({
      OperationDefinition() {
        throw new RangeError('Maximum call stack size exceeded')
      },
    })
    const errors = findDocumentErrors({
      schema,
      document: parse('{ Items { id } }'),
      rules: [overflowing],
    })
    expect(messagesOf(errors)).toEqual([
      'The document nests fields or fragments too deeply to be checked.',
    ])
  })
})

describe('validDocumentsOnly', () => {
  /**
   * Stands for Payload's cost rule: it walks every operation through its fragments and throws on
   * what it cannot handle, as that rule did on cycles and subscriptions.
   */
  const walkedOperations: string[] = []
  const costRule: ValidationRule = () => ({
    OperationDefinition(node) {
      walkedOperations.push(node.operation)
      if (node.operation === 'subscription') throw new TypeError("reading 'name' of undefined")
    },
    FragmentSpread() {
      throw new RangeError('Maximum call stack size exceeded')
    },
  })

  /** What Payload's GraphQL handler does: our rules, then one pass with the spec's and its own. */
  const runAsPayload = (query: string, variableValues?: Record<string, unknown>) => {
    const args: ExecutionArgs = { schema, document: parse(query), variableValues }
    const rules = validDocumentsOnly(() => [])(args)
    return messagesOf(validate(args.schema, args.document, [...specifiedRules, costRule, ...rules]))
  }

  it.each([
    [
      'query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }',
      'Cannot spread fragment "A" within itself via "B".',
    ],
    ['subscription { Items { id } }', 'The subscription operation is not supported by the schema.'],
    [
      'query ($x: Boolean!) { Items @skip(if: $x) { id } }',
      'Variable "$x" of required type "Boolean!" was not provided.',
    ],
  ])('should report %j without letting any other rule walk it', (query, message) => {
    walkedOperations.length = 0
    expect(runAsPayload(query)).toEqual([message])
    expect(walkedOperations).toEqual([])
  })

  it('should leave a valid document to the rules that follow, and add none', () => {
    walkedOperations.length = 0
    expect(runAsPayload('query ($id: Int!) { Category(id: $id) { name } }', { id: 1 })).toEqual([])
    expect(walkedOperations).toEqual(['query'])
  })

  it('should report what the given rules find', () => {
    const args: ExecutionArgs = { schema, document: parse('{ Items { id } }') }
    const tooMany: ValidationRule = (context) => ({
      Field() {
        context.reportError(new GraphQLError('Too many fields.'))
      },
    })
    const rules = validDocumentsOnly(() => [tooMany])(args)
    const errors = validate(args.schema, args.document, [...specifiedRules, ...rules])
    expect(messagesOf(errors)).toEqual(['Too many fields.', 'Too many fields.'])
  })
})
