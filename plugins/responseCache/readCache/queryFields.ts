import type { Payload } from 'payload'

import { sortFieldPaths } from '../../pluginKit'

import { addListFields, anyField, type ReadDependencies } from './dependencies'

/** The field paths a `where` reads, through `and`/`or` at any depth. */
export const wherePaths = (where: unknown): string[] => {
  if (!where || typeof where !== 'object') return []
  const paths: string[] = []
  for (const [key, value] of Object.entries(where)) {
    const isGroup = key.toLowerCase() === 'and' || key.toLowerCase() === 'or'
    if (isGroup && Array.isArray(value)) for (const part of value) paths.push(...wherePaths(part))
    else paths.push(key)
  }
  return paths
}

type FieldLike = { name: string; type: string; relationTo?: string | string[] }

const relatedCollections = (field: FieldLike | undefined): string[] | undefined => {
  if (!field || (field.type !== 'relationship' && field.type !== 'upload')) return undefined
  if (!field.relationTo) return undefined
  return Array.isArray(field.relationTo) ? field.relationTo : [field.relationTo]
}

const flattenedFieldsOf = (payload: Payload, collection: string): FieldLike[] =>
  ((payload.collections as Record<string, { config: { flattenedFields: unknown[] } } | undefined>)[
    collection
  ]?.config.flattenedFields ?? []) as FieldLike[]

/**
 * Records what a query path reads. `name` reads the field `name`; `category.slug` reads the items'
 * `category` and, through the relationship, the categories' `slug`: renaming a category's slug
 * changes which items such a query finds. A path into a polymorphic relationship reads every field
 * of every collection it may point to.
 */
export const addPathDependencies = (
  dependencies: ReadDependencies,
  payload: Payload,
  collection: string,
  path: string,
  depth = 0,
): void => {
  const [first, ...rest] = path.split('.')
  if (!first) return
  addListFields(dependencies, collection, [first])
  if (rest.length === 0 || depth > 4) return
  const field = flattenedFieldsOf(payload, collection).find((candidate) => candidate.name === first)
  const targets = relatedCollections(field)
  if (!targets) return
  if (Array.isArray(field?.relationTo)) {
    for (const target of targets) addListFields(dependencies, target, [anyField])
    return
  }
  for (const target of targets)
    addPathDependencies(dependencies, payload, target, rest.join('.'), depth + 1)
}

export const addQueryDependencies = (
  dependencies: ReadDependencies,
  payload: Payload,
  collection: string,
  { where, sort }: { where?: unknown; sort?: unknown },
): void => {
  for (const path of [...wherePaths(where), ...sortFieldPaths(sort)])
    addPathDependencies(dependencies, payload, collection, path)
}
