import { S3Client, DeleteObjectsCommand } from '@aws-sdk/client-s3'
import { s3Storage } from '@payloadcms/storage-s3'
import {
  type CollectionAfterChangeHook,
  type CollectionConfig,
  type Config,
  type Plugin,
} from 'payload'

import { collectionSlugs } from '../../collections/slugs'
import type { AppEnv, R2Settings } from '../../src/config/env'
import { publicApiError } from '../../src/config/errors/publicApiError'
import { getRedirectToPublicFileEndpoint } from './publicFileRedirect'
import { getR2ClientConfig, r2MaxAttempts } from '../../src/storage/r2Client'
import { createSettlingRetryStrategy } from './settlingRetryStrategy'

type StoredMedia = {
  prefix?: string | null
  filename?: string | null
  sizes?: Record<string, { filename?: string | null } | undefined> | null
}

/** Every object key a media document owns: the original and each generated size. */
export const getMediaObjectKeys = (doc: StoredMedia): string[] => {
  const filenames = [doc.filename, ...Object.values(doc.sizes ?? {}).map((size) => size?.filename)]
  return filenames
    .filter((filename): filename is string => Boolean(filename))
    .map((filename) => [doc.prefix, filename].filter(Boolean).join('/'))
}

/**
 * Shared by every instance of the plugin in the process: the storage plugin caches its S3 client
 * per bucket, so the client that uploads may have been built from another instance's settings.
 */
const uploadRetries = createSettlingRetryStrategy(r2MaxAttempts)

/**
 * The storage plugin uploads in `afterChange`, after the row is written but before the transaction
 * commits, so a failed database write never uploads anything. If an upload fails, the transaction
 * rolls back; this wrapper removes whatever part of the set did reach the bucket and answers with
 * a 503 an editor can act on, instead of a bare 500.
 */
const withUploadFailureCleanup =
  (uploadHook: CollectionAfterChangeHook, r2: R2Settings): CollectionAfterChangeHook =>
  async (args) => {
    try {
      return await uploadHook(args)
    } catch (error) {
      // Sibling uploads of the same image may still be retrying; deleting before they finish
      // would let a late retry leave an orphan behind.
      await uploadRetries.whenSettled()
      const keys = getMediaObjectKeys(args.doc as StoredMedia)
      const client = new S3Client(getR2ClientConfig(r2))
      await client
        .send(
          new DeleteObjectsCommand({
            Bucket: r2.bucket,
            Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true },
          }),
        )
        .catch(() => undefined)
        .finally(() => client.destroy())
      args.req.payload.logger.error({ err: error, msg: 'Media upload to the bucket failed' })
      throw publicApiError({
        name: 'MediaStorageUnavailableError',
        message:
          'The media storage is unavailable right now, so the image was not saved. Try again in a minute.',
        status: 503,
      })
    }
  }

const findMedia = (config: Config): CollectionConfig | undefined =>
  config.collections?.find((collection) => collection.slug === collectionSlugs.media)

/**
 * Media storage for every environment. The S3 plugin is always registered — disabled without R2 —
 * so the schema (its `prefix` field) and the admin import map are the same everywhere: an import
 * map generated without the plugin renders a blank admin under a build that has it.
 */
export const mediaStoragePlugin =
  (env: Pick<AppEnv, 'r2' | 'MEDIA_KEY_PREFIX'>): Plugin =>
  async (incoming) => {
    const { r2 } = env
    const hooksBefore = findMedia(incoming)?.hooks?.afterChange?.length ?? 0
    const publicBase = r2?.publicBase
    const withStorage = await s3Storage({
      enabled: Boolean(r2),
      alwaysInsertFields: true,
      bucket: r2?.bucket ?? 'media-storage-disabled',
      config: r2 ? { ...getR2ClientConfig(r2), retryStrategy: uploadRetries.retryStrategy } : {},
      collections: {
        [collectionSlugs.media]: {
          prefix: env.MEDIA_KEY_PREFIX,
          // With a public base, browsers fetch from R2 or the CDN and never through the app.
          disablePayloadAccessControl: publicBase ? true : undefined,
          generateFileURL: publicBase
            ? ({ filename, prefix }) =>
                `${publicBase}/${[prefix, filename].filter(Boolean).join('/')}`
            : undefined,
        },
      },
    })(incoming)
    if (!r2) return withStorage

    return {
      ...withStorage,
      collections: withStorage.collections?.map((collection) => {
        if (collection.slug !== collectionSlugs.media) return collection
        const afterChange = collection.hooks?.afterChange ?? []
        const imageSizes =
          (collection.upload &&
            typeof collection.upload === 'object' &&
            collection.upload.imageSizes) ||
          []
        return {
          ...collection,
          endpoints:
            publicBase && collection.endpoints !== false
              ? [
                  getRedirectToPublicFileEndpoint({
                    publicBase,
                    imageSizeNames: imageSizes.map((size) => size.name),
                  }),
                  ...(collection.endpoints || []),
                ]
              : collection.endpoints,
          hooks: {
            ...collection.hooks,
            afterChange: [
              ...afterChange.slice(0, hooksBefore),
              ...afterChange.slice(hooksBefore).map((hook) => withUploadFailureCleanup(hook, r2)),
            ],
          },
        }
      }),
    }
  }
