import type { FlattenedField } from 'payload'

import { sortFieldPaths } from '../../pluginKit'

/** What a read or count operation is asked to sort by: its own sort and its joins'. */
export type SortArgs = { sort?: unknown; joins?: unknown }

/**
 * The dotted field paths an operation sorts by: `sort` (`-title,category.name`, or a list) and the
 * sort of each of its joins (`joins[items][sort]`), without their direction.
 */
export const requestedSortPaths = ({ sort, joins }: SortArgs): string[] => {
  const joinSorts =
    typeof joins === 'object' && joins !== null
      ? Object.values(joins).map((join) => (join as { sort?: unknown } | undefined)?.sort)
      : []
  return [sort, ...joinSorts].flatMap(sortFieldPaths)
}

/** The fields of a collection by its slug, undefined for an unknown one. */
export type FieldsOf = (collectionSlug: string) => FlattenedField[] | undefined

const targetOf = (field: FlattenedField): string | undefined => {
  if (
    (field.type === 'relationship' || field.type === 'upload') &&
    typeof field.relationTo === 'string'
  )
    return field.relationTo
  if (field.type === 'join' && typeof field.collection === 'string') return field.collection
  return undefined
}

const subFieldsOf = (field: FlattenedField): FlattenedField[] | undefined =>
  field.type === 'group' || field.type === 'array' || field.type === 'tab'
    ? field.flattenedFields
    : undefined

/**
 * The collections a dotted path goes into through relationship, upload and join fields (each one
 * a join in the SQL), in order. Stops where the path leaves what can be followed (unknown names,
 * blocks, polymorphic relationships), and at `relation.id`, the relationship's own column.
 */
export const collectionsAlongPath = (
  fieldsOf: FieldsOf,
  fields: FlattenedField[],
  path: string,
): string[] => {
  const [head, ...rest] = path.split('.')
  const field = fields.find((candidate) => candidate.name === head)
  if (!field || rest.length === 0) return []
  const nested = subFieldsOf(field)
  if (nested) return collectionsAlongPath(fieldsOf, nested, rest.join('.'))
  const target = targetOf(field)
  const targetFields = target ? fieldsOf(target) : undefined
  if (!target || !targetFields) return []
  if (field.type !== 'join' && rest.length === 1 && rest[0] === 'id') return []
  return [target, ...collectionsAlongPath(fieldsOf, targetFields, rest.join('.'))]
}
