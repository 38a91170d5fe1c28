import type { S3ClientConfig } from '@aws-sdk/client-s3'
import type { UploadCollectionSlug } from 'payload'

type MediaStorageBaseOptions = {
  /** The upload collection whose files live in the bucket. */
  collection: UploadCollectionSlug
  /**
   * Key prefix (folder) of the collection's objects in the bucket, without slashes at either end.
   * Also the default of the documents' `prefix` field, so it applies while the plugin is disabled.
   * @default '' (objects at the root of the bucket)
   */
  keyPrefix?: string
  /**
   * The app's public origin, such as `https://cms.example.com`. Payload makes the URLs of files it
   * serves itself (local storage, or the bucket without `publicBase`) relative to the app
   * (`/api/<collection>/file/<name>`); with this set, every read (REST, GraphQL, the Local API)
   * gets them absolute on it, so a frontend on another origin can use them as they are. Read with
   * the plugin enabled or disabled. Payload's own `serverURL` would do the same but also fixes the
   * origin the admin calls and the CSRF list, which this leaves alone.
   * @default undefined (such URLs stay relative)
   */
  serverURL?: string
}

/**
 * The storage is off: files stay on Payload's local disk storage. The `prefix` field is still added,
 * so the schema (and the admin import map) is the same with and without a bucket.
 */
export type MediaStorageDisabledOptions = MediaStorageBaseOptions & {
  enabled: false
}

export type MediaStorageEnabledOptions = MediaStorageBaseOptions & {
  /** @default true */
  enabled?: true
  /** The bucket's name. */
  bucket: string
  /**
   * Settings of the S3 client: endpoint, region, credentials… For Cloudflare R2 use region `auto`,
   * `forcePathStyle: true` and `requestChecksumCalculation: 'WHEN_REQUIRED'`. Its `retryStrategy`
   * is replaced by the plugin's own (see `maxAttempts`).
   */
  s3: S3ClientConfig
  /**
   * Attempts per S3 command, the first included. Uploads wait for the last of them before a
   * failed upload's objects are removed.
   * @default 3
   */
  maxAttempts?: number
  /**
   * The bucket's public URL (bucket domain or CDN), without a trailing slash. When set, documents
   * link there, Payload's access control on files is off (browsers fetch from the bucket), and the
   * collection's `/file/:filename` route answers 308 to the public URL.
   * @default undefined (files are served through Payload)
   */
  publicBase?: string
  /**
   * Whether a name in the `/file/:filename` route could name a stored file; other names get a 400
   * without a database query. Only used with `publicBase`. Pass a stricter check when your app
   * names uploads itself.
   * @default one path segment of at most 255 characters, without control characters, `/`, `\`
   * or a leading dot
   */
  isServableFilename?: (filename: string) => boolean
}

/** Options of {@link mediaStoragePlugin}: disabled, or a bucket and how to reach it. */
export type MediaStoragePluginOptions = MediaStorageDisabledOptions | MediaStorageEnabledOptions

/** Options with every default applied, as the hooks and endpoints receive them. */
export type SanitizedMediaStorageOptions = Required<
  Omit<MediaStorageEnabledOptions, 'enabled' | 'publicBase' | 'serverURL'>
> & {
  publicBase?: string
  serverURL?: string
}
