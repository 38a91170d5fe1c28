import type { Payload } from 'payload'

/**
 * Whether a collection's ids are serial integers, read from what Payload worked out at init (its
 * `customIDType`, else the database adapter's default id type).
 */
export const getNumericIdCheck =
  (payload: Payload) =>
  (collectionSlug: string): boolean => {
    const customIDType =
      payload.collections[collectionSlug as keyof Payload['collections']]?.customIDType
    return customIDType ? customIDType === 'number' : payload.db.defaultIDType === 'number'
  }
