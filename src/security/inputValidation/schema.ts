import type { FlattenedField, SanitizedConfig } from 'payload'

import { getNumericIdCheck } from '../../../plugins/requestBodyGuard'

/** What the validators need to know about the collections: their fields and id type. */
export type Schema = {
  fieldsOf: (collectionSlug: string) => FlattenedField[] | undefined
  hasNumericIds: (collectionSlug: string) => boolean
}

export const createSchema = (config: SanitizedConfig): Schema => {
  const collections = new Map<string, SanitizedConfig['collections'][number]>(
    config.collections.map((collection) => [collection.slug, collection]),
  )
  return {
    fieldsOf: (slug) => collections.get(slug)?.flattenedFields,
    hasNumericIds: getNumericIdCheck(config),
  }
}

/** A queryable path resolved to what its values must look like. */
export type ResolvedPath =
  | { kind: 'id'; isNumeric: boolean }
  | { kind: 'field'; field: FlattenedField; isNumericRelation: boolean }

const relationTarget = (field: FlattenedField): string | undefined =>
  (field.type === 'relationship' || field.type === 'upload') && typeof field.relationTo === 'string'
    ? field.relationTo
    : undefined

const subFields = (field: FlattenedField): FlattenedField[] | undefined =>
  field.type === 'group' || field.type === 'array' || field.type === 'tab'
    ? field.flattenedFields
    : undefined

/**
 * Follows a dotted query path (`price`, `category.name`, `version.price`) through groups, arrays
 * and single-collection relationships. Undefined when the path leaves what can be checked here
 * (unknown names, blocks, polymorphic relationships): Payload's own query validation answers those.
 */
export const resolvePath = (
  schema: Schema,
  collectionSlug: string,
  fields: FlattenedField[],
  path: string,
): ResolvedPath | undefined => {
  const [head, ...rest] = path.split('.')
  if (head === 'id' && rest.length === 0) {
    return { kind: 'id', isNumeric: schema.hasNumericIds(collectionSlug) }
  }
  const field = fields.find((candidate) => candidate.name === head)
  if (!field) return undefined
  const target = relationTarget(field)
  if (rest.length === 0) {
    return {
      kind: 'field',
      field,
      isNumericRelation: target ? schema.hasNumericIds(target) : false,
    }
  }
  const nested = subFields(field)
  if (nested) return resolvePath(schema, collectionSlug, nested, rest.join('.'))
  const targetFields = target ? schema.fieldsOf(target) : undefined
  return target && targetFields
    ? resolvePath(schema, target, targetFields, rest.join('.'))
    : undefined
}
