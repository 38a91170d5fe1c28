import fs from 'node:fs'
import path from 'node:path'

import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3'

import type { AppEnv } from '../../config/env'
import { getR2ClientConfig } from '../../storage/r2Client'
import { listStoredMediaObjects } from '../../storage/storageUsage'
import { hashFile } from './backupStore'

type MediaStorageEnv = Pick<AppEnv, 'r2' | 'MEDIA_KEY_PREFIX' | 'MEDIA_DIR'>

export type MediaObject = { key: string; bytes: number; etag: string; lastModified: string }

/**
 * Every media object with its size and ETag, for the decommissioning inventory: keys under the
 * media prefix in the bucket, or paths relative to MEDIA_DIR on local disk (MD5 as the ETag, which
 * is what S3 and R2 report for a single-part upload, so both kinds can be checked against a copy
 * the same way).
 */
export const listMediaObjects = async (env: MediaStorageEnv): Promise<MediaObject[]> => {
  const objects: MediaObject[] = []
  for await (const { key, bytes, etag, file, lastModified } of listStoredMediaObjects(env)) {
    objects.push({
      key,
      bytes,
      etag: etag ?? (file ? (await hashFile(file, 'md5')).digest : ''),
      lastModified: lastModified?.toISOString() ?? '',
    })
  }
  // The bucket lists keys in order already; a directory listing is in no particular order.
  return env.r2 ? objects : objects.sort((a, b) => a.key.localeCompare(b.key))
}

const isNotFound = (error: unknown) => {
  const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } }
  return name === 'NotFound' || name === 'NoSuchKey' || $metadata?.httpStatusCode === 404
}

/**
 * Which of these media object keys are missing from storage: a HEAD per key in the bucket, a stat
 * per file in MEDIA_DIR (where files sit by name, without the bucket's prefix). Any other storage
 * error (bucket unreachable, access denied) is thrown: that is not a missing object.
 */
export const findMissingMediaObjects = async ({
  env,
  keys,
}: {
  env: MediaStorageEnv
  keys: string[]
}): Promise<string[]> => {
  const missing: string[] = []
  if (!env.r2) {
    for (const key of keys) {
      const file = path.join(path.resolve(env.MEDIA_DIR), path.basename(key))
      const isFile = await fs.promises
        .stat(file)
        .then((stat) => stat.isFile())
        .catch(() => false)
      if (!isFile) missing.push(key)
    }
    return missing
  }
  const client = new S3Client(getR2ClientConfig(env.r2))
  try {
    for (const key of keys) {
      try {
        await client.send(new HeadObjectCommand({ Bucket: env.r2.bucket, Key: key }))
      } catch (error) {
        if (!isNotFound(error)) throw error
        missing.push(key)
      }
    }
  } finally {
    client.destroy()
  }
  return missing
}
