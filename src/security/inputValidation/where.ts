import type { FlattenedField } from 'payload'

import {
  isNumberLike,
  isPlainObject,
  optionValues,
  toInt4,
} from '../../../plugins/requestBodyGuard'
import { documentIdMessage } from './documentId'
import { containsNulCharacter } from './percentEncoding'
import { resolvePath, type ResolvedPath, type Schema } from './schema'

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

/** and/or nesting a query builder produces stays well under this. */
export const maxWhereNesting = 8

const listOperators = new Set<Operator>(['in', 'not_in', 'all'])
const comparisonOperators = new Set<Operator>([
  'greater_than',
  'greater_than_equal',
  'less_than',
  'less_than_equal',
])
const textOperators = new Set<Operator>(['like', 'not_like', 'contains'])
const geoOperators = new Set<Operator>(['near', 'within', 'intersects'])

const textTypes = new Set(['text', 'textarea', 'email', 'code', 'richText'])

type WhereArgs = { schema: Schema; collectionSlug: string; fields: FlattenedField[] }

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
  if (textOperators.has(operator)) return textTypes.has(type) || type === 'json'
  if (comparisonOperators.has(operator)) {
    return !['checkbox', 'select', 'radio', 'point', 'join'].includes(type)
  }
  return true
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

/**
 * Checks a `where` query against the collection's fields before it reaches the database: its
 * shape (objects of operators, lists under and/or), the operators, and the type of every value
 * on a path it can resolve. Returns the first problem as a message, or undefined.
 */
export const findWhereProblem = (
  where: unknown,
  args: WhereArgs,
  nesting = 1,
): string | undefined => {
  if (!isPlainObject(where)) {
    return 'where must be an object of conditions, e.g. where[name][equals]=Tea or where={"name":{"equals":"Tea"}}.'
  }
  if (nesting > maxWhereNesting) return `where is nested more than ${maxWhereNesting} levels deep.`
  for (const [key, condition] of Object.entries(where)) {
    if (containsNulCharacter(key)) return 'where contains a NUL character.'
    if (key === 'and' || key === 'or') {
      const branches = Array.isArray(condition)
        ? condition
        : isPlainObject(condition)
          ? Object.values(condition)
          : undefined
      if (!branches) return `where: "${key}" must be a list of conditions.`
      for (const branch of branches) {
        const problem = findWhereProblem(branch, args, nesting + 1)
        if (problem) return problem
      }
      continue
    }
    if (!isPlainObject(condition)) {
      return `where: ${key} needs an operator, e.g. where[${key}][equals]=….`
    }
    const resolved = resolvePath(args.schema, args.collectionSlug, args.fields, key)
    if (resolved?.kind === 'field' && resolved.field.hidden) {
      return `where: ${key} cannot be queried.`
    }
    for (const [operator, value] of Object.entries(condition)) {
      if (!(whereOperators as readonly string[]).includes(operator)) {
        return `where: "${operator}" is not an operator; use one of ${whereOperators.join(', ')}.`
      }
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
