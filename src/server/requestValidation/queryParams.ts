import type { FlattenedField } from 'payload'

import { isPlainObject } from '../../../plugins/pluginKit'
import { maxPage } from '../../config/graphql/graphqlLimits'
import { containsNulCharacter } from './percentEncoding'
import { joinFieldPaths, resolvePath, tracePath, type Schema } from './schema'
import { findWhereProblem, maxRelationshipJoins } from './where'

export { maxPage }

const maxSortLength = 200

const booleanParams = [
  'autosave',
  'draft',
  'trash',
  'overrideLock',
  'pagination',
  'flattenLocales',
  'publishAllLocales',
  'unpublishAllLocales',
]

/** Parameters Payload reads as JSON objects when they arrive as a string. */
const jsonObjectParams = ['where', 'data']

const objectParams = ['select', 'populate']

export type QueryContext = {
  schema: Schema
  /** The collection the route reads; undefined for globals and other routes. */
  collectionSlug?: string
  /** Fields the `where` and `sort` of this route refer to (a versions route: the version's). */
  fields?: FlattenedField[]
  maxDepth: number
  /** Bulk updates and deletes use limit=0 for "every match", as the admin does. */
  allowsUnlimited: boolean
  /** The largest `limit` (and join limit) this request may ask for. */
  maxLimit: number
}

type Query = Record<string, unknown>

const wholeNumber = (value: unknown, min: number, max: number): boolean =>
  typeof value === 'string' &&
  /^\d{1,10}$/.test(value) &&
  Number(value) >= min &&
  Number(value) <= max

const hasNulAnywhere = (value: unknown): boolean => {
  if (typeof value === 'string') return containsNulCharacter(value)
  if (typeof value !== 'object' || value === null) return false
  return Object.entries(value).some(
    ([key, entry]) => containsNulCharacter(key) || hasNulAnywhere(entry),
  )
}

const parseJsonParam = (value: unknown): unknown => {
  if (typeof value !== 'string') return value
  try {
    return JSON.parse(value)
  } catch {
    return undefined
  }
}

const sortPaths = (sort: unknown): string[] | undefined => {
  const entries = Array.isArray(sort)
    ? sort
    : typeof sort === 'string'
      ? sort.split(',')
      : undefined
  if (!entries || entries.some((entry) => typeof entry !== 'string')) return undefined
  return (entries as string[]).map((entry) => entry.trim().replace(/^-/, ''))
}

const isFieldPath = (path: string) => /^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/.test(path)

const findSortProblem = (sort: unknown, context: QueryContext): string | undefined => {
  const paths = sortPaths(sort)
  if (!paths) return 'sort must be field names separated by commas, e.g. sort=-createdAt,name.'
  if ((Array.isArray(sort) ? sort.join(',') : String(sort)).length > maxSortLength) {
    return `sort is longer than ${maxSortLength} characters.`
  }
  for (const path of paths) {
    if (!isFieldPath(path)) return `sort: "${path.slice(0, 40)}" is not a field name.`
    if (!context.fields || !context.collectionSlug) continue
    if (!resolvePath(context.schema, context.collectionSlug, context.fields, path)) {
      return `sort: there is no field "${path}" to sort by.`
    }
  }
  return undefined
}

/** The joins a valid sort costs: one per relationship its paths go through. */
const countSortRelationshipJoins = (sort: unknown, context: QueryContext): number => {
  const { fields } = context
  if (!fields) return 0
  return (sortPaths(sort) ?? []).reduce(
    (joins, path) => joins + tracePath(context.schema, fields, path).hops.length,
    0,
  )
}

const joinSettings = ['limit', 'page', 'sort', 'where', 'count']

type JoinContext = { schema: Schema; path: string; collectionSlug: string; maxLimit: number }

/**
 * A join's sort is one field of the documents it lists. Payload sorts a join in a subquery that
 * cannot follow a relationship (a 500), and its pages need one order, not a list.
 */
const findJoinSortProblem = (sort: unknown, join: JoinContext): string | undefined => {
  const fields = join.schema.fieldsOf(join.collectionSlug) ?? []
  const path = typeof sort === 'string' ? sort.replace(/^-/, '') : undefined
  const trace = path && isFieldPath(path) ? tracePath(join.schema, fields, path) : undefined
  if (!trace?.field || trace.hops.length > 0 || trace.field.type === 'join') {
    return `joins[${join.path}][sort] must be one field of ${join.collectionSlug}, e.g. joins[${join.path}][sort]=-createdAt.`
  }
  return undefined
}

const findJoinSettingsProblem = (settings: unknown, join: JoinContext): string | undefined => {
  const name = `joins[${join.path}]`
  if (settings === 'false') return undefined
  if (!isPlainObject(settings))
    return `${name} must be false or an object of ${joinSettings.join(', ')}.`
  const unknown = Object.keys(settings).find((key) => !joinSettings.includes(key))
  if (unknown !== undefined) {
    return `${name}[${unknown.slice(0, 40)}] is not a join setting; use ${joinSettings.join(', ')}.`
  }
  const { limit, page, sort, where, count } = settings
  // A join's limit of 0 means every document it lists.
  if (limit !== undefined && !wholeNumber(limit, 1, join.maxLimit)) {
    return `${name}[limit] must be a whole number from 1 to ${join.maxLimit}.`
  }
  if (page !== undefined && !wholeNumber(page, 1, maxPage)) {
    return `${name}[page] must be a whole number from 1 to ${maxPage}.`
  }
  if (count !== undefined && count !== 'true' && count !== 'false') {
    return `${name}[count] must be true or false.`
  }
  if (sort !== undefined) {
    const problem = findJoinSortProblem(sort, join)
    if (problem) return problem
  }
  if (where === undefined) return undefined
  if (!isPlainObject(where)) {
    return `${name}[where] must be an object of conditions, e.g. ${name}[where][name][equals]=Tea.`
  }
  const problem = findWhereProblem(where, {
    schema: join.schema,
    collectionSlug: join.collectionSlug,
    fields: join.schema.fieldsOf(join.collectionSlug) ?? [],
  })
  return problem ? `${name}: ${problem}` : undefined
}

/**
 * `joins` names join fields of the collection, each `false` or an object of its settings; Payload
 * read anything else without a word (unknown names ignored, `limit=0` as "every document", a
 * sort through a relationship as a 500).
 */
const findJoinsProblem = (joins: unknown, context: QueryContext): string | undefined => {
  if (joins === 'false') return undefined
  if (!isPlainObject(joins)) return 'joins must be false or an object of join field settings.'
  if (!context.collectionSlug) return undefined
  const available = joinFieldPaths(context.schema.fieldsOf(context.collectionSlug) ?? [])
  for (const [path, settings] of Object.entries(joins)) {
    const collectionSlug = available.get(path)
    if (!collectionSlug) {
      const names = [...available.keys()]
      return `joins: ${context.collectionSlug} has no join field "${path.slice(0, 40)}"${names.length > 0 ? `; it has ${names.join(', ')}` : ''}.`
    }
    const problem = findJoinSettingsProblem(settings, {
      schema: context.schema,
      path,
      collectionSlug,
      maxLimit: context.maxLimit,
    })
    if (problem) return problem
  }
  return undefined
}

/**
 * Checks the query parameters Payload's REST handlers read (limit, page, depth, sort, where, the
 * boolean flags, select/populate/joins, locale) so that none of them can reach the database as a
 * malformed value. Returns the first problem as a message, or undefined. Unknown parameters are
 * left alone: Payload ignores them.
 */
export const findQueryProblem = (query: Query, context: QueryContext): string | undefined => {
  if (hasNulAnywhere(query)) return 'The query string contains a NUL character.'
  for (const name of [
    'limit',
    'page',
    'depth',
    'sort',
    'locale',
    'fallbackLocale',
    'fallback-locale',
    ...booleanParams,
  ]) {
    if (Array.isArray(query[name]) && name !== 'sort') return `${name} may be given only once.`
  }
  if ('limit' in query) {
    const min = context.allowsUnlimited ? 0 : 1
    if (!wholeNumber(query.limit, min, context.maxLimit)) {
      return `limit must be a whole number from ${min} to ${context.maxLimit}.`
    }
  }
  if ('page' in query && !wholeNumber(query.page, 1, maxPage)) {
    return `page must be a whole number from 1 to ${maxPage}.`
  }
  if ('depth' in query && !wholeNumber(query.depth, 0, context.maxDepth)) {
    return `depth must be a whole number from 0 to ${context.maxDepth}.`
  }
  for (const name of booleanParams) {
    if (name in query && query[name] !== 'true' && query[name] !== 'false') {
      return `${name} must be true or false.`
    }
  }
  for (const name of ['locale', 'fallbackLocale', 'fallback-locale']) {
    if (name in query && !(typeof query[name] === 'string' && /^[\w-]{1,35}$/.test(query[name]))) {
      return `${name} must be a locale code such as en or all.`
    }
  }
  for (const name of objectParams) {
    if (name in query && (typeof query[name] !== 'object' || Array.isArray(query[name]))) {
      return `${name} must be an object of field names, e.g. ${name}[name]=true.`
    }
  }
  if ('joins' in query) {
    const problem = findJoinsProblem(query.joins, context)
    if (problem) return problem
  }
  if ('sort' in query) {
    const problem = findSortProblem(query.sort, context)
    if (problem) return problem
  }
  const sortJoins = 'sort' in query ? countSortRelationshipJoins(query.sort, context) : 0
  if (sortJoins > maxRelationshipJoins) {
    return `sort goes through relationships more than ${maxRelationshipJoins} times; at most ${maxRelationshipJoins} are allowed.`
  }
  for (const name of jsonObjectParams) {
    if (!(name in query)) continue
    const value = parseJsonParam(query[name])
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return `${name} must be an object, in brackets (${name}[field][equals]=…) or as JSON.`
    }
    if (name === 'where' && context.fields && context.collectionSlug) {
      const problem = findWhereProblem(value, {
        schema: context.schema,
        collectionSlug: context.collectionSlug,
        fields: context.fields,
        relationshipJoinsInUse: sortJoins,
      })
      if (problem) return problem
    }
  }
  return undefined
}
