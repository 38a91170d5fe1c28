import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { pipeline } from 'node:stream/promises'
import type { Readable } from 'node:stream'

import { DeleteObjectsCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3'
import { Upload } from '@aws-sdk/lib-storage'

import type { R2Settings } from '../../config/env'
import { listObjects } from '../../storage/listObjects'
import { getR2ClientConfig } from '../../storage/r2Client'
import { bucketBackupPrefix, partialSuffix } from './backupFiles'

/** Size and hex digest (SHA-256 unless asked otherwise) of a file, read as a stream: dumps can be large. */
export const hashFile = async (
  file: string,
  algorithm: 'sha256' | 'md5' = 'sha256',
): Promise<{ bytes: number; digest: string }> => {
  const hash = crypto.createHash(algorithm)
  let bytes = 0
  for await (const chunk of fs.createReadStream(file) as AsyncIterable<Buffer>) {
    hash.update(chunk)
    bytes += chunk.length
  }
  return { bytes, digest: hash.digest('hex') }
}

/**
 * Writes a small file under a partial name and renames it into place, so a reader never sees half
 * of it. Backups hold password hashes: files are readable by their owner only.
 */
export const writeFileAtomically = async (file: string, contents: string): Promise<void> => {
  const partial = `${file}${partialSuffix}`
  await fs.promises.writeFile(partial, contents, { mode: 0o600 })
  await fs.promises.rename(partial, file)
}

export const listLocalBackupNames = async (dir: string): Promise<string[]> =>
  (await fs.promises.readdir(dir, { withFileTypes: true }).catch(() => []))
    .filter((entry) => entry.isFile())
    .map((entry) => entry.name)

export const removeLocalFiles = async (dir: string, names: string[]): Promise<void> => {
  await Promise.all(names.map((name) => fs.promises.rm(path.join(dir, name), { force: true })))
}

/** The backups folder of the media bucket: `backups/` beside `media/`. */
export const createBucketBackupStore = (r2: R2Settings) => {
  const client = new S3Client(getR2ClientConfig(r2))
  const keyOf = (name: string) => `${bucketBackupPrefix}${name}`

  return {
    keyOf,
    /** Multipart upload with retries per part: a dump may be gigabytes. */
    upload: async (file: string): Promise<string> => {
      const key = keyOf(path.basename(file))
      await new Upload({
        client,
        params: {
          Bucket: r2.bucket,
          Key: key,
          Body: fs.createReadStream(file),
          ContentType: file.endsWith('.json') ? 'application/json' : 'application/octet-stream',
        },
      }).done()
      return key
    },
    listNames: async (): Promise<string[]> => {
      const names: string[] = []
      for await (const { Key } of listObjects({
        client,
        bucket: r2.bucket,
        prefix: bucketBackupPrefix,
      })) {
        if (Key) names.push(Key.slice(bucketBackupPrefix.length))
      }
      return names
    },
    remove: async (names: string[]): Promise<void> => {
      // DeleteObjects takes at most 1000 keys per request.
      for (let start = 0; start < names.length; start += 1000) {
        await client.send(
          new DeleteObjectsCommand({
            Bucket: r2.bucket,
            Delete: {
              Objects: names.slice(start, start + 1000).map((name) => ({ Key: keyOf(name) })),
              Quiet: true,
            },
          }),
        )
      }
    },
    download: async (name: string, file: string): Promise<void> => {
      const { Body } = await client.send(
        new GetObjectCommand({ Bucket: r2.bucket, Key: keyOf(name) }),
      )
      await pipeline(Body as Readable, fs.createWriteStream(file, { mode: 0o600 }))
    },
    close: () => client.destroy(),
  }
}

export type BucketBackupStore = ReturnType<typeof createBucketBackupStore>
