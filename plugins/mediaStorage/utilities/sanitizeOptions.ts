import { defaultKeyPrefix, defaultMaxAttempts } from '../defaults'
import type { MediaStorageEnabledOptions, SanitizedMediaStorageOptions } from '../types'
import { isServableFilenameByDefault } from './storedFilename'

/** The options of an enabled storage with every default applied. */
export const sanitizeMediaStorageOptions = (
  options: MediaStorageEnabledOptions,
): SanitizedMediaStorageOptions => ({
  collection: options.collection,
  bucket: options.bucket,
  s3: options.s3,
  keyPrefix: options.keyPrefix ?? defaultKeyPrefix,
  maxAttempts: options.maxAttempts ?? defaultMaxAttempts,
  publicBase: options.publicBase?.replace(/\/+$/, '') || undefined,
  isServableFilename: options.isServableFilename ?? isServableFilenameByDefault,
})
