import type { FlattenedField, SanitizedConfig } from 'payload'

/** What the validators need to know about the collections: their fields and id type. */
export type Schema = {
  fieldsOf: (collectionSlug: string) => FlattenedField[] | undefined
  hasNumericIds: (collectionSlug: string) => boolean
}

const schemas = new WeakMap<SanitizedConfig, Schema>()

/** The schema of a config, built once: request validation and operation hooks share it. */
export const getSchema = (config: SanitizedConfig): Schema => {
  let schema = schemas.get(config)
  if (!schema) {
    schema = createSchema(config)
    schemas.set(config, schema)
  }
  return schema
}

export const createSchema = (config: SanitizedConfig): Schema => {
  const collections = new Map<string, SanitizedConfig['collections'][number]>(
    config.collections.map((collection) => [collection.slug, collection]),
  )
  const isNumericByDefault = config.db.defaultIDType === 'number'
  // As Payload works out its `customIDType`: a collection's own `id` field, else the default.
  const isNumeric = new Map<string, boolean>(
    config.collections.map((collection) => {
      const customId = collection.flattenedFields.find((field) => field.name === 'id')
      return [collection.slug, customId ? customId.type === 'number' : isNumericByDefault]
    }),
  )
  return {
    fieldsOf: (slug) => collections.get(slug)?.flattenedFields,
    hasNumericIds: (slug) => isNumeric.get(slug) ?? isNumericByDefault,
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

const joinTarget = (field: FlattenedField): string | undefined =>
  field.type === 'join' && typeof field.collection === 'string' ? field.collection : undefined

/** A relationship, upload or join field a query path follows into another collection. */
export type PathHop = { field: FlattenedField; collectionSlug: string }

/**
 * What a dotted query path goes through: `hops`, the relationship, upload and join fields it
 * follows into other collections (each one a join in the SQL), and `field`, the field it ends on.
 * `field` is undefined where the path leaves what can be followed here (unknown names, blocks,
 * polymorphic relationships, keys inside JSON); `hops` then holds those found so far.
 */
export type PathTrace = { hops: PathHop[]; field?: FlattenedField }

export const tracePath = (
  schema: Schema,
  fields: FlattenedField[],
  path: string,
  hops: PathHop[] = [],
): PathTrace => {
  const [head, ...rest] = path.split('.')
  const field = fields.find((candidate) => candidate.name === head)
  if (!field) return { hops }
  if (rest.length === 0) return { hops, field }
  const nested = subFields(field)
  if (nested) return tracePath(schema, nested, rest.join('.'), hops)
  const target = relationTarget(field) ?? joinTarget(field)
  const targetFields = target ? schema.fieldsOf(target) : undefined
  if (!target || !targetFields) return { hops }
  // `category.id` is the relationship's own column: Payload compares it without a join.
  if (field.type !== 'join' && rest.length === 1 && rest[0] === 'id') return { hops, field }
  return tracePath(schema, targetFields, rest.join('.'), [
    ...hops,
    { field, collectionSlug: target },
  ])
}

/** The collection's join fields, by the path `joins` names them with, and what each one lists. */
export const joinFieldPaths = (fields: FlattenedField[], prefix = ''): Map<string, string> => {
  const found = new Map<string, string>()
  for (const field of fields) {
    const target = joinTarget(field)
    if (target) found.set(`${prefix}${field.name}`, target)
    if (field.type === 'group' || field.type === 'tab') {
      for (const [path, collectionSlug] of joinFieldPaths(
        field.flattenedFields,
        `${prefix}${field.name}.`,
      )) {
        found.set(path, collectionSlug)
      }
    }
  }
  return found
}
