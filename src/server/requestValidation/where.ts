import type { FlattenedField } from 'payload'

import { isPlainObject } from '../../../plugins/pluginKit'
import { documentIdMessage } from './documentId'
import { containsNulCharacter } from './percentEncoding'
import { resolvePath, tracePath, type PathTrace, type ResolvedPath, type Schema } from './schema'
import { isNumberLike, optionValues, toInt4 } from '../../../plugins/pluginKit'

/** Every operator Payload's `where` understands. */
const whereOperators = [
  'equals',
  'not_equals',
  'in',
  'not_in',
  'all',
  'exists',
  'greater_than',
  'greater_than_equal',
  'less_than',
  'less_than_equal',
  'like',
  'not_like',
  'contains',
  'near',
  'within',
  'intersects',
] as const

type Operator = (typeof whereOperators)[number]

/** Payload's PostgreSQL adapter has no `all` (MongoDB's); it answered every use with a 500. */
const unsupportedOperatorMessage = (path: string) =>
  `where: "all" (on ${path}) is not supported by the database; use "in" for any of several values, or an "and" of conditions for every one of them.`

/** and/or nesting a query builder produces stays well under this. */
export const maxWhereNesting = 8

/**
 * The longest and/or list. A filter with an "or" per ticked box stays far under it; a long list
 * of values belongs in `in`, which is one condition.
 */
export const maxWhereBranches = 25

/** Conditions (a path with one operator) in one `where`, however they are nested. */
export const maxWhereConditions = 100

/**
 * Relationship paths (`category.name`) in one query's `where` and `sort`. Each one costs
 * PostgreSQL a join of its own — per condition, and again for the related collection's access
 * rule when the reader is anonymous — and planning time grows with the square of the joins: a
 * 100-way `or` on `category.name` took seconds on a near-empty table, 8 take tens of milliseconds
 * (`npm run bench`, case (i)).
 */
export const maxRelationshipJoins = 8

const listOperators = new Set<Operator>(['in', 'not_in'])
const comparisonOperators = new Set<Operator>([
  'greater_than',
  'greater_than_equal',
  'less_than',
  'less_than_equal',
])
const textOperators = new Set<Operator>(['like', 'not_like', 'contains'])
const geoOperators = new Set<Operator>(['near', 'within', 'intersects'])

const textTypes = new Set(['text', 'textarea', 'email', 'code', 'richText'])

/**
 * Fields stored as text columns. Rich text and JSON are stored as jsonb, which PostgreSQL cannot
 * match with a text pattern (Payload answered `like` on them with a 500).
 */
const textColumnTypes = new Set(['text', 'textarea', 'email', 'code'])

/** Stored as jsonb: nothing orders them. */
const jsonTypes = new Set(['richText', 'json'])

type WhereArgs = {
  schema: Schema
  collectionSlug: string
  fields: FlattenedField[]
  /** Relationship joins the rest of the query (its sort) already uses. */
  relationshipJoinsInUse?: number
}

/** What the conditions seen so far add up to. */
type WhereTally = { conditions: number; relationshipJoins: number }

/** Anything an int4 column can be compared with, zero and negatives too: they match nothing. */
const isInt4 = (value: unknown) => toInt4(value) !== undefined

const isDate = (value: unknown) => {
  if (typeof value !== 'string' && typeof value !== 'number') return false
  const time = new Date(value).getTime()
  return Number.isFinite(time)
}

const isBooleanLike = (value: unknown) =>
  value === true || value === false || value === 'true' || value === 'false'

const isNullLike = (value: unknown) => value === null || value === 'null'

type ValueRule = { check: (value: unknown) => boolean; expected: string }

/** What one value of a condition on this path must be, or undefined when anything goes. */
const valueRule = (resolved: ResolvedPath): ValueRule | undefined => {
  if (resolved.kind === 'id') {
    return resolved.isNumeric ? { check: isInt4, expected: documentIdMessage } : undefined
  }
  const { field } = resolved
  switch (field.type) {
    case 'number':
      return { check: isNumberLike, expected: 'numbers' }
    case 'date':
      return { check: isDate, expected: 'dates such as 2026-01-31 or 2026-01-31T12:00:00Z' }
    case 'checkbox':
      return { check: isBooleanLike, expected: 'true or false' }
    case 'relationship':
    case 'upload':
      return resolved.isNumericRelation ? { check: isInt4, expected: documentIdMessage } : undefined
    case 'select':
    case 'radio': {
      const values = optionValues(field)
      return {
        check: (value) => typeof value === 'string' && values.includes(value),
        expected: `one of ${values.join(', ')}`,
      }
    }
    default:
      return textTypes.has(field.type)
        ? {
            check: (value) => typeof value === 'string' || typeof value === 'number',
            expected: 'text',
          }
        : undefined
  }
}

const typeLabel = (resolved: ResolvedPath) =>
  resolved.kind === 'id' ? 'id' : `${resolved.field.type} field`

/** Operators that make sense for the path's type; the rest end in database errors. */
const isOperatorAllowed = (operator: Operator, resolved: ResolvedPath): boolean => {
  const type = resolved.kind === 'id' ? 'id' : resolved.field.type
  if (geoOperators.has(operator)) return type === 'point'
  if (textOperators.has(operator)) return textColumnTypes.has(type)
  if (comparisonOperators.has(operator)) {
    return !['checkbox', 'select', 'radio', 'point', 'join'].includes(type) && !jsonTypes.has(type)
  }
  return true
}

/**
 * Payload follows a join field only at the start of a path, into a field of the collection it
 * lists (`items.name` on categories). Reached through a relationship (`category.items.name`) or
 * followed by one (`items.category.name`), it failed with a 500 or filtered on another field than
 * the one named.
 */
const findJoinPathProblem = (path: string, { hops, field }: PathTrace): string | undefined => {
  const joinIndex = hops.findIndex((hop) => hop.field.type === 'join')
  const endsOnJoinAfterHop = field?.type === 'join' && hops.length > 0
  if (!endsOnJoinAfterHop && joinIndex <= 0 && (joinIndex === -1 || hops.length === 1)) {
    return undefined
  }
  const joinName = joinIndex >= 0 ? hops[joinIndex].field.name : field?.name
  return `where: ${path} goes through the join field ${joinName}, which can only start a path followed by a field of the documents it lists (e.g. items.name on categories).`
}

const listValues = (value: unknown): unknown[] =>
  Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [value]

const checkCondition = (
  path: string,
  operator: Operator,
  value: unknown,
  resolved: ResolvedPath,
): string | undefined => {
  if (!isOperatorAllowed(operator, resolved)) {
    return `where: "${operator}" cannot be used on ${path} (a ${typeLabel(resolved)}).`
  }
  if (operator === 'exists') {
    return isBooleanLike(value) ? undefined : `where: ${path}.exists must be true or false.`
  }
  if (isPlainObject(value)) {
    return `where: ${path}.${operator} must be a value, not an object.`
  }
  const rule = valueRule(resolved)
  if (!rule) return undefined
  const values = listOperators.has(operator) ? listValues(value) : [value]
  const allowsNull = operator === 'equals' || operator === 'not_equals'
  const isValid = values.every((entry) => (allowsNull && isNullLike(entry)) || rule.check(entry))
  return isValid ? undefined : `where: ${path}.${operator} takes ${rule.expected}.`
}

const branchesOf = (condition: unknown): unknown[] | undefined =>
  Array.isArray(condition)
    ? condition
    : isPlainObject(condition)
      ? Object.values(condition)
      : undefined

const relationshipJoinsMessage = (path: string) =>
  `The query goes through relationships (such as ${path}) more than ${maxRelationshipJoins} times in its where and sort; each path costs a join per condition, so at most ${maxRelationshipJoins} are allowed.`

const walkWhere = (
  where: unknown,
  args: WhereArgs,
  nesting: number,
  tally: WhereTally,
): string | undefined => {
  if (!isPlainObject(where)) {
    return 'where must be an object of conditions, e.g. where[name][equals]=Tea or where={"name":{"equals":"Tea"}}.'
  }
  if (nesting > maxWhereNesting) return `where is nested more than ${maxWhereNesting} levels deep.`
  for (const [key, condition] of Object.entries(where)) {
    if (containsNulCharacter(key)) return 'where contains a NUL character.'
    if (key === 'and' || key === 'or') {
      const branches = branchesOf(condition)
      if (!branches) return `where: "${key}" must be a list of conditions.`
      if (branches.length > maxWhereBranches) {
        return `where: an "${key}" list holds ${branches.length} conditions; at most ${maxWhereBranches} are allowed (put alternative values of one field in "in").`
      }
      for (const branch of branches) {
        const problem = walkWhere(branch, args, nesting + 1, tally)
        if (problem) return problem
      }
      continue
    }
    if (!isPlainObject(condition)) {
      return `where: ${key} needs an operator, e.g. where[${key}][equals]=….`
    }
    const trace = tracePath(args.schema, args.fields, key)
    const joinProblem = findJoinPathProblem(key, trace)
    if (joinProblem) return joinProblem
    const resolved = resolvePath(args.schema, args.collectionSlug, args.fields, key)
    if (resolved?.kind === 'field' && resolved.field.hidden) {
      return `where: ${key} cannot be queried.`
    }
    for (const [operator, value] of Object.entries(condition)) {
      tally.conditions += 1
      tally.relationshipJoins += trace.hops.length
      if (tally.conditions > maxWhereConditions) {
        return `where holds more than ${maxWhereConditions} conditions; at most ${maxWhereConditions} are allowed.`
      }
      if (tally.relationshipJoins > maxRelationshipJoins) return relationshipJoinsMessage(key)
      if (!(whereOperators as readonly string[]).includes(operator)) {
        return `where: "${operator}" is not an operator; use one of ${whereOperators.join(', ')}.`
      }
      if (operator === 'all') return unsupportedOperatorMessage(key)
      if (typeof value === 'string' && containsNulCharacter(value)) {
        return 'where contains a NUL character.'
      }
      if (!resolved) continue
      const problem = checkCondition(key, operator as Operator, value, resolved)
      if (problem) return problem
    }
  }
  return undefined
}

/**
 * Checks a `where` query against the collection's fields before it reaches the database: its
 * shape (objects of operators, lists under and/or), its size (nesting, list width, conditions,
 * relationship joins), the paths through join fields, the operators, and the type of every value
 * on a path it can resolve. Returns the first problem as a message, or undefined.
 */
export const findWhereProblem = (where: unknown, args: WhereArgs): string | undefined =>
  walkWhere(where, args, 1, { conditions: 0, relationshipJoins: args.relationshipJoinsInUse ?? 0 })

/** Sizes of a `where` whose paths are not checked here (GraphQL's: it writes AND and OR). */
const measureWhere = (where: unknown, nesting: number, tally: WhereTally): string | undefined => {
  if (!isPlainObject(where)) return undefined
  if (nesting > maxWhereNesting) return `where is nested more than ${maxWhereNesting} levels deep.`
  for (const [key, condition] of Object.entries(where)) {
    const lowerKey = key.toLowerCase()
    if (lowerKey === 'and' || lowerKey === 'or') {
      const branches = branchesOf(condition) ?? []
      if (branches.length > maxWhereBranches) {
        return `where: an "${key}" list holds ${branches.length} conditions; at most ${maxWhereBranches} are allowed.`
      }
      for (const branch of branches) {
        const problem = measureWhere(branch, nesting + 1, tally)
        if (problem) return problem
      }
      continue
    }
    const operators = isPlainObject(condition) ? Object.keys(condition) : []
    if (operators.includes('all')) return unsupportedOperatorMessage(key)
    tally.conditions += Math.max(operators.length, 1)
    if (tally.conditions > maxWhereConditions) {
      return `where holds more than ${maxWhereConditions} conditions; at most ${maxWhereConditions} are allowed.`
    }
  }
  return undefined
}

/**
 * The rules of {@link findWhereProblem} that need no schema — nesting, list width, number of
 * conditions, no `all` — for a `where` that arrives by another way than the query string
 * (GraphQL arguments, which GraphQL has typed already).
 */
export const findWhereArgumentProblem = (where: unknown): string | undefined =>
  measureWhere(where, 1, { conditions: 0, relationshipJoins: 0 })
