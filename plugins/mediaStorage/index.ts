import { s3Storage } from '@payloadcms/storage-s3'
import type { CollectionConfig, Config, Plugin } from 'payload'

import { wrapAfterChangeHooksAddedByPlugin } from '../payloadInternals'
import { defaultKeyPrefix } from './defaults'
import { getRedirectToPublicFileEndpoint } from './endpoints/redirectToPublicFile'
import { getUploadFailureCleanupHook } from './hooks/uploadFailureCleanup'
import type { MediaStoragePluginOptions, SanitizedMediaStorageOptions } from './types'
import { sanitizeMediaStorageOptions } from './utilities/sanitizeOptions'
import { getSharedSettlingRetryStrategy } from './utilities/settlingRetryStrategy'

export { getMediaObjectKeys } from './utilities/mediaObjectKeys'
export type { MediaStoragePluginOptions } from './types'

const imageSizeNamesOf = (collection: CollectionConfig): string[] =>
  ((typeof collection.upload === 'object' && collection.upload.imageSizes) || []).map(
    (size) => size.name,
  )

/** Puts the redirect to the public file in front of the collection's own endpoints. */
const withPublicFileRedirect = (
  config: Config,
  { collection: slug, publicBase, isServableFilename }: SanitizedMediaStorageOptions,
): Config => ({
  ...config,
  collections: config.collections?.map((collection) =>
    collection.slug !== slug || !publicBase || collection.endpoints === false
      ? collection
      : {
          ...collection,
          endpoints: [
            getRedirectToPublicFileEndpoint({
              collection: slug,
              publicBase,
              imageSizeNames: imageSizeNamesOf(collection),
              isServableFilename,
            }),
            ...(collection.endpoints || []),
          ],
        },
  ),
})

/**
 * An upload collection's files in an S3-API bucket (AWS S3, Cloudflare R2, MinIO…), through
 * `@payloadcms/storage-s3`, plus what it leaves out: files served from a public base URL with the
 * old file route redirecting there, a failed upload's objects removed and answered with a 503, and
 * S3 retries that a cleanup waits out.
 *
 * The S3 plugin is registered even when disabled, so the schema (its `prefix` field) and the
 * admin import map are the same everywhere: an import map generated without the plugin renders a
 * blank admin under a build that has it.
 */
export const mediaStoragePlugin =
  (options: MediaStoragePluginOptions): Plugin =>
  async (incoming) => {
    if (options.enabled === false) {
      return s3Storage({
        enabled: false,
        alwaysInsertFields: true,
        bucket: 'media-storage-disabled',
        config: {},
        collections: { [options.collection]: { prefix: options.keyPrefix ?? defaultKeyPrefix } },
      })(incoming)
    }
    const sanitized = sanitizeMediaStorageOptions(options)
    const { collection, bucket, publicBase } = sanitized
    const clientCacheKey = `media-storage:${bucket}`
    const retries = getSharedSettlingRetryStrategy({
      clientCacheKey,
      maxAttempts: sanitized.maxAttempts,
    })
    const withStorage = await s3Storage({
      alwaysInsertFields: true,
      bucket,
      clientCacheKey,
      config: { ...sanitized.s3, retryStrategy: retries.retryStrategy },
      collections: {
        [collection]: {
          prefix: sanitized.keyPrefix,
          // With a public base, browsers fetch from the bucket or the CDN, never through Payload.
          disablePayloadAccessControl: publicBase ? true : undefined,
          generateFileURL: publicBase
            ? ({ filename, prefix }) =>
                `${publicBase}/${[prefix, filename].filter(Boolean).join('/')}`
            : undefined,
        },
      },
    })(incoming)
    const withCleanup = wrapAfterChangeHooksAddedByPlugin({
      before: incoming,
      after: withStorage,
      collection,
      wrap: (uploadHook) =>
        getUploadFailureCleanupHook({
          uploadHook,
          options: sanitized,
          whenUploadsSettled: retries.whenSettled,
        }),
    })
    return withPublicFileRedirect(withCleanup, sanitized)
  }
