import path from 'node:path'

import type { CollectionConfig } from 'payload'

import { anyone, isCatalogEditor } from '../../src/config/access'
import { getEnv } from '../../src/config/env'
import { collectionSlugs } from '../slugs'
import { getServeLocalFileHandler, immutableFileCacheControl } from './handlers/serveLocalFile'
import { dropFileDerivedFields } from './hooks/dropFileDerivedFields'
import { acceptedImageFormats, getNormaliseUploadHook } from './hooks/normaliseUpload'
import { preventDeletingReferencedMedia } from './hooks/preventDeletingReferencedMedia'

const env = getEnv()
const staticDir = path.resolve(env.MEDIA_DIR)

export const Media: CollectionConfig = {
  slug: collectionSlugs.media,
  admin: {
    useAsTitle: 'alt',
    defaultColumns: ['filename', 'alt', 'mimeType', 'filesize', 'updatedAt'],
  },
  access: {
    read: anyone,
    create: isCatalogEditor,
    update: isCatalogEditor,
    delete: isCatalogEditor,
  },
  hooks: {
    beforeOperation: [
      dropFileDerivedFields,
      getNormaliseUploadHook({ maxBytes: env.MEDIA_MAX_BYTES, maxPixels: env.MEDIA_MAX_PIXELS }),
    ],
    beforeDelete: [preventDeletingReferencedMedia],
  },
  upload: {
    // Local disk when no bucket is configured; with R2 the storage plugin takes over.
    staticDir,
    mimeTypes: acceptedImageFormats.map((format) => format.mime),
    // Fetching files from URLs the client names would let the server be pointed at internal hosts.
    pasteURL: false,
    focalPoint: true,
    crop: true,
    adminThumbnail: 'thumbnail',
    imageSizes: [
      { name: 'thumbnail', width: 320 },
      { name: 'card', width: 768 },
      { name: 'hero', width: 1600 },
    ],
    // With R2 and no public base, files are proxied from the bucket; these apply there too.
    modifyResponseHeaders: ({ headers }) => {
      headers.set('Cache-Control', immutableFileCacheControl)
      headers.set('X-Content-Type-Options', 'nosniff')
      return headers
    },
    handlers: env.r2 ? [] : [getServeLocalFileHandler({ staticDir })],
  },
  fields: [
    {
      name: 'alt',
      type: 'text',
      required: true,
      maxLength: 300,
      admin: { description: 'Describes the image for screen readers and when it cannot load.' },
    },
  ],
}
