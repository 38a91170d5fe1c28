import { DeleteObjectsCommand, S3Client } from '@aws-sdk/client-s3'
import { APIError, type CollectionAfterChangeHook } from 'payload'

import { storageUnavailableErrorName, storageUnavailableMessage } from '../defaults'
import type { SanitizedMediaStorageOptions } from '../types'
import { getMediaObjectKeys, type StoredMedia } from '../utilities/mediaObjectKeys'

const deleteObjects = async ({
  options,
  keys,
}: {
  options: SanitizedMediaStorageOptions
  keys: string[]
}) => {
  if (keys.length === 0) return
  const client = new S3Client(options.s3)
  await client
    .send(
      new DeleteObjectsCommand({
        Bucket: options.bucket,
        Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true },
      }),
    )
    // Best effort: the bucket that refused the upload may refuse this too; the 503 still stands.
    .catch(() => undefined)
    .finally(() => client.destroy())
}

/**
 * Wraps the storage plugin's upload hook. It uploads in `afterChange`, after the row is written but
 * before the transaction commits, so a failed database write never uploads anything. If an upload
 * fails, the transaction rolls back; this removes whatever part of the set did reach the bucket and
 * answers with a 503 an editor can act on, instead of a bare 500.
 */
export const getUploadFailureCleanupHook = ({
  uploadHook,
  options,
  whenUploadsSettled,
}: {
  uploadHook: CollectionAfterChangeHook
  options: SanitizedMediaStorageOptions
  /** Resolves once every S3 command running now has finished, retries included. */
  whenUploadsSettled: () => Promise<void>
}): CollectionAfterChangeHook =>
  async function uploadWithFailureCleanup(args) {
    try {
      return await uploadHook(args)
    } catch (error) {
      // Sibling uploads of the same image may still be retrying; deleting before they finish
      // would let a late retry leave an orphan behind.
      await whenUploadsSettled()
      await deleteObjects({ options, keys: getMediaObjectKeys(args.doc as StoredMedia) })
      args.req.payload.logger.error({ err: error, msg: 'Media upload to the bucket failed' })
      const unavailable = new APIError(storageUnavailableMessage, 503, null, true)
      // Payload names an error after its class, which a minifying build leaves nameless, and
      // without a name its REST answer drops the message.
      unavailable.name = storageUnavailableErrorName
      throw unavailable
    }
  }
