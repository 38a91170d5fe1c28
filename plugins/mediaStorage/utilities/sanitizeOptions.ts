import { defaultKeyPrefix, defaultMaxAttempts } from '../defaults'
import type { MediaStorageEnabledOptions, SanitizedMediaStorageOptions } from '../types'
import { isServableFilenameByDefault } from './storedFilename'

/** A base URL as the plugin joins paths to it: no trailing slash; empty means none. */
export const toBaseURL = (url: string | undefined): string | undefined =>
  url?.replace(/\/+$/, '') || undefined

/** The options of an enabled storage with every default applied. */
export const sanitizeMediaStorageOptions = (
  options: MediaStorageEnabledOptions,
): SanitizedMediaStorageOptions => ({
  collection: options.collection,
  bucket: options.bucket,
  s3: options.s3,
  keyPrefix: options.keyPrefix ?? defaultKeyPrefix,
  maxAttempts: options.maxAttempts ?? defaultMaxAttempts,
  publicBase: toBaseURL(options.publicBase),
  serverURL: toBaseURL(options.serverURL),
  isServableFilename: options.isServableFilename ?? isServableFilenameByDefault,
})
