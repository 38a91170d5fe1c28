/**
 * A few quick retries ride out a dropped keep-alive connection; an unreachable bucket still fails
 * within about a second, so an editor waiting on an upload gets an answer.
 */
export const defaultMaxAttempts = 3

export const defaultKeyPrefix = ''

/** The longest object name most file systems and S3-API servers accept. */
export const maxStoredFilenameLength = 255

/**
 * Cache lifetime of the redirect to a public file: a year, because a stored name never changes
 * meaning (Payload gives an upload whose name is taken a new one).
 */
export const publicFileRedirectCacheControl = 'public, max-age=31536000'

/** The name and message of the 503 an upload gets when the bucket could not take it. */
export const storageUnavailableErrorName = 'MediaStorageUnavailableError'
export const storageUnavailableMessage =
  'The media storage is unavailable right now, so the image was not saved. Try again in a minute.'
