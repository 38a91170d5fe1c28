import type { Config } from 'payload'

import { isPreviewableCollection, previewableCollections, previewStartUrl } from './previewRoutes'

/**
 * Payload's live preview for the collections the catalog page shows: the admin's iframe opens the
 * start route, which checks the editor and turns draft mode on. A document not saved yet has no
 * id, so no preview until its first save (then only as a draft, shown to editors alone).
 */
export const catalogLivePreview: NonNullable<NonNullable<Config['admin']>['livePreview']> = {
  collections: [...previewableCollections],
  url: ({ data, collectionConfig }) => {
    const collection = collectionConfig?.slug
    const id = Number(data?.id)
    if (!isPreviewableCollection(collection) || !Number.isSafeInteger(id) || id <= 0) return null
    return previewStartUrl({ collection, id })
  },
}
