import {
  GraphQLError,
  Kind,
  getNamedType,
  isCompositeType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  type ASTVisitor,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
  type ValueNode,
} from 'graphql'

/** What Payload puts in a field's `extensions`: its cost, and the field config it was built from. */
type PayloadFieldExtensions = {
  complexity?: unknown
  field?: { type?: unknown; hasMany?: unknown; maxRows?: unknown; defaultLimit?: unknown }
}

/** What one operation may cost at most. */
export type QueryCost = {
  /**
   * Payload's cost model — 1 per field, a field's own `complexity` where it has one (10 for
   * relationships, uploads and joins) — with each field's cost multiplied by the sizes of the
   * lists it sits in.
   */
  complexity: number
  /**
   * The documents it may resolve: the documents of every page (`docs`), every related or uploaded
   * document, and the document of every root field, multiplied like the complexity.
   */
  documents: number
  /** Lists nothing bounds (`pagination: false` without a `limit`), named by their field. */
  unboundedLists: string[]
}

const noCost = (): QueryCost => ({ complexity: 0, documents: 0, unboundedLists: [] })

type Variables = Readonly<Record<string, unknown>>

type Walk = {
  schema: GraphQLSchema
  fragments: ReadonlyMap<string, FragmentDefinitionNode>
  variables: Variables
  /** Payload's page size of a list query or join asked without `limit`. */
  defaultPageSize: number
  /** Fragment costs by name and the page size they were spread under. */
  memo: Map<string, QueryCost>
  /** Fragments being walked: a cycle (refused by the spec's rules) is not walked twice. */
  walking: Set<string>
}

const isPositiveWholeNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value > 0

/** A literal's value, or a variable's as the request sends it (or its default). */
const valueOf = (node: ValueNode, variables: Variables): unknown => {
  switch (node.kind) {
    case Kind.INT:
      return Number(node.value)
    case Kind.BOOLEAN:
      return node.value
    case Kind.NULL:
      return null
    case Kind.VARIABLE:
      return variables[node.name.value]
    default:
      return undefined
  }
}

const argumentValue = (node: FieldNode, name: string, variables: Variables): unknown => {
  const argument = node.arguments?.find((candidate) => candidate.name.value === name)
  return argument ? valueOf(argument.value, variables) : undefined
}

/**
 * The variables an operation runs with, as far as the limits need them: the values sent, and the
 * default of every variable not sent.
 */
export const variablesOf = (
  operation: OperationDefinitionNode,
  variableValues: Variables | null | undefined,
): Variables => {
  const variables: Record<string, unknown> = { ...variableValues }
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value
    if (Object.hasOwn(variables, name) || !definition.defaultValue) continue
    variables[name] = valueOf(definition.defaultValue, {})
  }
  return variables
}

const extensionsOf = (field: GraphQLField<unknown, unknown>): PayloadFieldExtensions =>
  field.extensions as PayloadFieldExtensions

const isList = (type: GraphQLOutputType): boolean =>
  isListType(isNonNullType(type) ? type.ofType : type)

/**
 * A page of documents, as Payload returns list queries (`Items`) and joins (`Category.items`):
 * an object whose `docs` is a list.
 */
const isPageType = (type: GraphQLCompositeType): boolean => {
  if (!isObjectType(type)) return false
  const docs = type.getFields().docs
  return docs !== undefined && isList(docs.type)
}

const isRelationship = (field: GraphQLField<unknown, unknown>): boolean => {
  const type = extensionsOf(field).field?.type
  return type === 'relationship' || type === 'upload'
}

/**
 * How many documents a page field asks for: its `limit`; else, for a join, the join's
 * `defaultLimit` (Payload's default 10), which the GraphQL document budget applies at run time
 * as REST does; else Payload's default page size. A list query with `pagination: false` and no
 * `limit` reads every match: `undefined`, unbounded.
 */
const pageSizeOf = (
  field: GraphQLField<unknown, unknown>,
  node: FieldNode,
  walk: Walk,
): number | undefined => {
  const limit = argumentValue(node, 'limit', walk.variables)
  if (isPositiveWholeNumber(limit)) return limit
  const config = extensionsOf(field).field
  if (config?.type === 'join') {
    return isPositiveWholeNumber(config.defaultLimit) ? config.defaultLimit : walk.defaultPageSize
  }
  if (argumentValue(node, 'pagination', walk.variables) === false) return undefined
  return walk.defaultPageSize
}

/**
 * How many entries a field's list may hold: a page's documents, or the related documents of a
 * `hasMany` relationship or upload (its `maxRows`, else the default page size: longer lists are
 * caught by the run-time count). Any other field — a scalar, a group, the rows of an array —
 * is one entry of the document it belongs to.
 */
const listSizeOf = (
  field: GraphQLField<unknown, unknown>,
  pageSize: number | undefined,
  walk: Walk,
): number => {
  if (!isList(field.type)) return 1
  if (field.name === 'docs' && pageSize !== undefined) return pageSize
  const config = extensionsOf(field).field
  if (isRelationship(field) && config?.hasMany === true) {
    return isPositiveWholeNumber(config.maxRows) ? config.maxRows : walk.defaultPageSize
  }
  return 1
}

const isRootType = (type: GraphQLCompositeType, schema: GraphQLSchema): boolean =>
  type === schema.getQueryType() || type === schema.getMutationType()

const addCost = (total: QueryCost, cost: QueryCost, times = 1) => {
  total.complexity += times * cost.complexity
  total.documents += times * cost.documents
  total.unboundedLists.push(...cost.unboundedLists)
}

const fieldCost = (
  node: FieldNode,
  parentType: GraphQLCompositeType,
  pageSize: number | undefined,
  walk: Walk,
): QueryCost => {
  const cost = noCost()
  // Fields of a union are only `__typename`; meta fields (`__typename`, `__schema`) are not in
  // `getFields()` and cost nothing, as in Payload's rule.
  if (!isObjectType(parentType) && !isInterfaceType(parentType)) return cost
  const field = parentType.getFields()[node.name.value]
  if (!field) return cost
  const { complexity } = extensionsOf(field)
  cost.complexity = typeof complexity === 'number' ? complexity : 1

  const namedType = getNamedType(field.type)
  const isPage = isCompositeType(namedType) && isPageType(namedType)
  const entries = listSizeOf(field, pageSize, walk)
  const isDocument =
    (field.name === 'docs' && pageSize !== undefined) ||
    isRelationship(field) ||
    (isRootType(parentType, walk.schema) && isCompositeType(namedType) && !isPage)
  if (isDocument) cost.documents = entries

  let childPageSize: number | undefined
  if (isPage) {
    childPageSize = pageSizeOf(field, node, walk)
    if (childPageSize === undefined) {
      cost.unboundedLists.push(node.name.value)
      childPageSize = walk.defaultPageSize
    }
  }
  if (isCompositeType(namedType) && node.selectionSet) {
    addCost(cost, selectionSetCost(node.selectionSet, namedType, childPageSize, walk), entries)
  }
  return cost
}

const fragmentCost = (
  name: string,
  pageSize: number | undefined,
  walk: Walk,
): QueryCost | undefined => {
  const fragment = walk.fragments.get(name)
  if (!fragment || walk.walking.has(name)) return undefined
  const type = walk.schema.getType(fragment.typeCondition.name.value)
  if (!type || !isCompositeType(type)) return undefined
  // Costs are linear in their multipliers, so a fragment spread many times is walked once.
  const key = `${name}:${pageSize ?? ''}`
  let cost = walk.memo.get(key)
  if (!cost) {
    walk.walking.add(name)
    cost = selectionSetCost(fragment.selectionSet, type, pageSize, walk)
    walk.walking.delete(name)
    walk.memo.set(key, cost)
  }
  return cost
}

/**
 * The cost of a selection set. A fragment or inline fragment on another type counts in full, as
 * if every possible type were selected at once (never less than what runs), and so do fields under
 * `@skip` or `@include`, whose arguments nothing has checked yet when this runs.
 */
const selectionSetCost = (
  selectionSet: SelectionSetNode,
  parentType: GraphQLCompositeType,
  pageSize: number | undefined,
  walk: Walk,
): QueryCost => {
  const total = noCost()
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      addCost(total, fieldCost(selection, parentType, pageSize, walk))
    } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
      const cost = fragmentCost(selection.name.value, pageSize, walk)
      if (cost) addCost(total, cost)
    } else {
      const typeName = selection.typeCondition?.name.value
      const type = typeName ? walk.schema.getType(typeName) : parentType
      if (type && isCompositeType(type)) {
        addCost(total, selectionSetCost(selection.selectionSet, type, pageSize, walk))
      }
    }
  }
  return total
}

type EstimateArgs = {
  schema: GraphQLSchema
  operation: OperationDefinitionNode
  fragments: ReadonlyMap<string, FragmentDefinitionNode>
  variableValues?: Variables | null
  defaultPageSize: number
}

/**
 * The most one operation may cost, from its document and variables alone: every list counts with
 * the number of entries it may hold (see {@link listSizeOf}), and everything inside it that many
 * times. Payload's own rule adds the cost of a list's fields once whatever its length, so a query
 * nesting `items(limit: 100) → category → items(limit: 100)` cost it a few dozen points while
 * reading tens of thousands of documents.
 */
export const estimateOperationCost = ({
  schema,
  operation,
  fragments,
  variableValues,
  defaultPageSize,
}: EstimateArgs): QueryCost => {
  const rootType =
    operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType()
  if (!rootType || operation.operation === 'subscription') return noCost()
  return selectionSetCost(operation.selectionSet, rootType, undefined, {
    schema,
    fragments,
    variables: variablesOf(operation, variableValues),
    defaultPageSize,
    memo: new Map(),
    walking: new Set(),
  })
}

/** A count in a message: grouped digits, and no 20-digit numbers. */
export const formatCount = (count: number): string =>
  count < 1e15 ? Math.round(count).toLocaleString('en-US') : 'more than 10^15'

export const tooManyDocumentsMessage = (estimate: number, limit: number) =>
  `The query could resolve up to ${formatCount(estimate)} documents; the limit is ${formatCount(limit)} per request. Ask for smaller pages (limit) in the lists it nests, or split it into several queries.`

export const tooComplexMessage = (estimate: number, limit: number) =>
  `The query's complexity is ${formatCount(estimate)}; the limit is ${formatCount(limit)}. Each field costs 1 and each relationship, upload or join 10, times the size of every list it is in: ask for smaller pages or fewer fields.`

export const unboundedListMessage = (field: string, maxPageSize: number) =>
  `${field}: pagination: false without a limit reads every match; give a limit from 1 to ${maxPageSize}.`

export type QueryCostLimits = {
  maxComplexity: number
  maxDocuments: number
  /** The largest `limit`, named in the message about unbounded lists. */
  maxPageSize: number
  defaultPageSize: number
}

type QueryCostRuleArgs = QueryCostLimits & {
  variableValues?: Variables | null
  operationName?: string | null
}

/**
 * Refuses an operation that may resolve more documents, or cost more, than the limits allow
 * (see {@link estimateOperationCost}). Only the operation that would run is checked: the one named
 * by `operationName`, or each of them when none is named (only a document with one operation can
 * then run).
 */
export const queryCostRule =
  ({ variableValues, operationName, ...limits }: QueryCostRuleArgs) =>
  (context: ValidationContext): ASTVisitor => ({
    Document: {
      leave(document) {
        const fragments = new Map<string, FragmentDefinitionNode>()
        const operations: OperationDefinitionNode[] = []
        for (const definition of document.definitions) {
          if (definition.kind === Kind.FRAGMENT_DEFINITION) {
            fragments.set(definition.name.value, definition)
          } else if (definition.kind === Kind.OPERATION_DEFINITION) {
            operations.push(definition)
          }
        }
        for (const operation of operations) {
          if (operationName && operation.name?.value !== operationName) continue
          const cost = estimateOperationCost({
            schema: context.getSchema(),
            operation,
            fragments,
            variableValues,
            defaultPageSize: limits.defaultPageSize,
          })
          for (const field of new Set(cost.unboundedLists)) {
            context.reportError(new GraphQLError(unboundedListMessage(field, limits.maxPageSize)))
          }
          if (cost.documents > limits.maxDocuments) {
            context.reportError(
              new GraphQLError(tooManyDocumentsMessage(cost.documents, limits.maxDocuments)),
            )
          }
          if (cost.complexity > limits.maxComplexity) {
            context.reportError(
              new GraphQLError(tooComplexMessage(cost.complexity, limits.maxComplexity)),
            )
          }
        }
      },
    },
  })
