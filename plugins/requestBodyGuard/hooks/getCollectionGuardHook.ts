import type { CollectionBeforeOperationHook, CollectionConfig } from 'payload'

import { authCollectionExtraKeys } from '../defaults'
import type { SanitizedRequestBodyGuardOptions } from '../types'
import { guardData, writeOperations } from './guardData'

type GetCollectionGuardHookArgs = {
  collection: CollectionConfig
  options: SanitizedRequestBodyGuardOptions
}

export const getCollectionGuardHook =
  ({ collection, options }: GetCollectionGuardHookArgs): CollectionBeforeOperationHook =>
  async ({ args, collection: sanitized, operation, overrideAccess, req }) => {
    if (!writeOperations.has(operation)) return args
    await guardData({
      data: args && 'data' in args ? args.data : undefined,
      entity: { collection: collection.slug },
      fields: sanitized.flattenedFields,
      extraKeys: collection.auth ? authCollectionExtraKeys : undefined,
      options,
      overrideAccess,
      req,
    })
    return args
  }
