import type { FlattenedField, SanitizedConfig } from 'payload'

import { payloadDefaultJoinLimit } from '../defaults'

const collectJoins = (fields: FlattenedField[], sizes: Map<string, number>) => {
  for (const field of fields) {
    if (field.type === 'join') {
      const pageSize = field.defaultLimit ?? payloadDefaultJoinLimit
      for (const target of [field.collection].flat()) {
        sizes.set(target, Math.max(sizes.get(target) ?? 0, pageSize))
      }
    } else if ('flattenedFields' in field) {
      collectJoins(field.flattenedFields, sizes)
    }
  }
}

/** The page size of a join into each collection, the largest where several joins lead there. */
export const collectJoinPageSizes = (
  collections: Pick<SanitizedConfig['collections'][number], 'flattenedFields'>[],
): Map<string, number> => {
  const sizes = new Map<string, number>()
  for (const collection of collections) collectJoins(collection.flattenedFields, sizes)
  return sizes
}

const joinPageSizes = new WeakMap<SanitizedConfig, Map<string, number>>()

/**
 * The page size of a join into a collection asked without `limit`: the join's `defaultLimit`, as
 * REST applies it (Payload's default 10), or the largest one when several joins lead there.
 */
export const joinPageSizeOf = (config: SanitizedConfig, collection: string): number => {
  let sizes = joinPageSizes.get(config)
  if (!sizes) {
    sizes = collectJoinPageSizes(config.collections)
    joinPageSizes.set(config, sizes)
  }
  return sizes.get(collection) ?? payloadDefaultJoinLimit
}
