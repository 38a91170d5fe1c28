import type { FlattenedField } from 'payload'

import { maxPageSize } from '../graphqlLimits'
import { containsNulCharacter } from './percentEncoding'
import { resolvePath, type Schema } from './schema'
import { findWhereProblem } from './where'

/** Deeper pages than this are a scraper walking the table, not a reader. */
export const maxPage = 1_000_000

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

const findSortProblem = (sort: unknown, context: QueryContext): string | undefined => {
  const entries = Array.isArray(sort)
    ? sort
    : typeof sort === 'string'
      ? sort.split(',')
      : undefined
  if (!entries || entries.some((entry) => typeof entry !== 'string')) {
    return 'sort must be field names separated by commas, e.g. sort=-createdAt,name.'
  }
  if ((entries as string[]).join(',').length > maxSortLength) {
    return `sort is longer than ${maxSortLength} characters.`
  }
  for (const entry of entries as string[]) {
    const path = entry.trim().replace(/^-/, '')
    if (!/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/.test(path)) {
      return `sort: "${path.slice(0, 40)}" is not a field name.`
    }
    if (!context.fields || !context.collectionSlug) continue
    if (!resolvePath(context.schema, context.collectionSlug, context.fields, path)) {
      return `sort: there is no field "${path}" to sort by.`
    }
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
    if (!wholeNumber(query.limit, min, maxPageSize)) {
      return `limit must be a whole number from ${min} to ${maxPageSize}.`
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
  if (
    'joins' in query &&
    query.joins !== 'false' &&
    (typeof query.joins !== 'object' || Array.isArray(query.joins))
  ) {
    return 'joins must be false or an object of join field settings.'
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
      })
      if (problem) return problem
    }
  }
  if ('sort' in query) return findSortProblem(query.sort, context)
  return undefined
}
