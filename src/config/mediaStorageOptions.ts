import { mediaStoragePlugin, type MediaStoragePluginOptions } from '../../plugins/mediaStorage'
import { collectionSlugs } from '../../collections/slugs'
import { getR2ClientConfig, r2MaxAttempts } from '../storage/r2Client'
import { importExportSlugs } from './editorial/importExport'
import type { AppEnv } from './env'

/**
 * What a stored name can look like here: the names this app gives uploads (see
 * `toUniqueUploadFilename`) and Payload's size suffixes, with room for names given by earlier
 * releases. Anything else (path separators, `..`, control characters, spaces, over-long names)
 * cannot name a stored file, so the file route answers it 400 without asking the database.
 */
const storedFilenamePattern = /^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/
const maxFilenameLength = 255

export const isWellFormedStoredFilename = (filename: string): boolean =>
  filename.length <= maxFilenameLength && storedFilenamePattern.test(filename)

/**
 * How this app stores media: in the R2 bucket when one is configured, else on local disk. URLs of
 * files the app serves itself are absolute on SERVER_URL.
 */
export const getMediaStorageOptions = ({
  r2,
  MEDIA_KEY_PREFIX,
  SERVER_URL,
}: Pick<AppEnv, 'r2' | 'MEDIA_KEY_PREFIX' | 'SERVER_URL'>): MediaStoragePluginOptions =>
  r2
    ? {
        collection: collectionSlugs.media,
        keyPrefix: MEDIA_KEY_PREFIX,
        serverURL: SERVER_URL,
        bucket: r2.bucket,
        s3: getR2ClientConfig(r2),
        maxAttempts: r2MaxAttempts,
        publicBase: r2.publicBase,
        isServableFilename: isWellFormedStoredFilename,
      }
    : {
        enabled: false,
        collection: collectionSlugs.media,
        keyPrefix: MEDIA_KEY_PREFIX,
        serverURL: SERVER_URL,
      }

/**
 * The files of imports and exports go where media go (a replica's job runner must read a file
 * another replica took), but stay private: no public base, so they are served only through
 * Payload's access control, under their own key prefixes.
 */
export const editorialFileStoragePlugins = (
  env: Pick<AppEnv, 'r2' | 'MEDIA_KEY_PREFIX' | 'SERVER_URL'>,
) =>
  Object.values(importExportSlugs).map((slug) => {
    const mediaOptions = getMediaStorageOptions(env)
    return mediaStoragePlugin({
      ...mediaOptions,
      collection: slug,
      keyPrefix: [env.MEDIA_KEY_PREFIX, slug].filter(Boolean).join('/'),
      ...(mediaOptions.enabled === false ? {} : { publicBase: undefined }),
    })
  })
