import fs from 'node:fs'
import path from 'node:path'

import { S3Client } from '@aws-sdk/client-s3'

import type { AppEnv } from '../config/env'
import { listObjects } from './listObjects'
import { getR2ClientConfig } from './r2Client'

type MediaStorageEnv = Pick<AppEnv, 'r2' | 'MEDIA_KEY_PREFIX' | 'MEDIA_DIR'>

export type StoredMediaObject = {
  /** The bucket key, or on local disk the path below MEDIA_DIR. */
  key: string
  bytes: number
  lastModified?: Date
  /** As the bucket reports it (quotes removed); local files have none. */
  etag?: string
  /** Local disk only: where the file is. */
  file?: string
}

/**
 * Every media object: in the bucket under the media prefix, or every file below MEDIA_DIR at any
 * depth (symbolic links are not followed; a missing MEDIA_DIR holds nothing). It lists everything, so call it from a background job or a CLI, never per request.
 */
export async function* listStoredMediaObjects(
  env: MediaStorageEnv,
): AsyncGenerator<StoredMediaObject> {
  if (!env.r2) {
    const root = path.resolve(env.MEDIA_DIR)
    const entries = await fs.promises
      .readdir(root, { recursive: true, withFileTypes: true })
      .catch(() => [])
    for (const entry of entries.filter((candidate) => candidate.isFile())) {
      const file = path.join(entry.parentPath, entry.name)
      const stat = await fs.promises.stat(file)
      yield {
        key: path.relative(root, file).split(path.sep).join('/'),
        bytes: stat.size,
        lastModified: stat.mtime,
        file,
      }
    }
    return
  }
  const client = new S3Client(getR2ClientConfig(env.r2))
  try {
    const prefix = `${env.MEDIA_KEY_PREFIX}/`
    for await (const object of listObjects({ client, bucket: env.r2.bucket, prefix })) {
      yield {
        key: object.Key ?? '',
        bytes: object.Size ?? 0,
        lastModified: object.LastModified,
        etag: (object.ETag ?? '').replace(/"/g, ''),
      }
    }
  } finally {
    client.destroy()
  }
}

export type StorageUsage = { objects: number; bytes: number; backend: 'r2' | 'local' }

/** Counts the media objects and their bytes (see `listStoredMediaObjects`). */
export const getStorageUsage = async (env: MediaStorageEnv): Promise<StorageUsage> => {
  let objects = 0
  let bytes = 0
  for await (const object of listStoredMediaObjects(env)) {
    objects += 1
    bytes += object.bytes
  }
  return { objects, bytes, backend: env.r2 ? 'r2' : 'local' }
}
