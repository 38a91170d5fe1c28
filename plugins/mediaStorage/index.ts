import { s3Storage } from '@payloadcms/storage-s3'
import type { CollectionConfig, Config, Plugin } from 'payload'

import { wrapAfterChangeHooksAddedByPlugin } from '../payloadInternals'
import { appendHooks } from '../pluginKit'
import { defaultKeyPrefix } from './defaults'
import { getRedirectToPublicFileEndpoint } from './endpoints/redirectToPublicFile'
import { getAbsoluteFileURLsHook } from './hooks/absoluteFileURLs'
import { getUploadFailureCleanupHook } from './hooks/uploadFailureCleanup'
import type { MediaStoragePluginOptions, SanitizedMediaStorageOptions } from './types'
import { sanitizeMediaStorageOptions, toBaseURL } from './utilities/sanitizeOptions'
import { getSharedSettlingRetryStrategy } from './utilities/settlingRetryStrategy'

export { getMediaObjectKeys } from './utilities/mediaObjectKeys'
export type { MediaStoragePluginOptions } from './types'

const imageSizeNamesOf = (collection: CollectionConfig): string[] =>
  ((typeof collection.upload === 'object' && collection.upload.imageSizes) || []).map(
    (size) => size.name,
  )

const thumbnailSizeOf = (collection: CollectionConfig): string | undefined =>
  typeof collection.upload === 'object' && typeof collection.upload.adminThumbnail === 'string'
    ? collection.upload.adminThumbnail
    : undefined

/** Appends the hook that hands out absolute file URLs to the collection, after its own hooks. */
const withAbsoluteFileURLs = (
  config: Config,
  { collection: slug, serverURL }: Pick<SanitizedMediaStorageOptions, 'collection' | 'serverURL'>,
): Config => ({
  ...config,
  collections: config.collections?.map((collection) =>
    collection.slug !== slug
      ? collection
      : appendHooks(collection, {
          afterRead: [
            getAbsoluteFileURLsHook({ serverURL, thumbnailSize: thumbnailSizeOf(collection) }),
          ],
        }),
  ),
})

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
 * old file route redirecting there, a failed upload's objects removed and answered with a 503,
 * S3 retries that a cleanup waits out, and file URLs absolute on `serverURL` (enabled or not).
 *
 * The S3 plugin is registered even when disabled, so the schema (its `prefix` field) and the
 * admin import map are the same everywhere: an import map generated without the plugin renders a
 * blank admin under a build that has it.
 */
export const mediaStoragePlugin =
  (options: MediaStoragePluginOptions): Plugin =>
  async (incoming) => {
    if (options.enabled === false) {
      const withDisabledStorage = await s3Storage({
        enabled: false,
        alwaysInsertFields: true,
        bucket: 'media-storage-disabled',
        config: {},
        collections: { [options.collection]: { prefix: options.keyPrefix ?? defaultKeyPrefix } },
      })(incoming)
      return withAbsoluteFileURLs(withDisabledStorage, {
        collection: options.collection,
        serverURL: toBaseURL(options.serverURL),
      })
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
            ? ({ filename, prefix }: { filename: string; prefix?: string }) =>
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
    return withAbsoluteFileURLs(withPublicFileRedirect(withCleanup, sanitized), sanitized)
  }
