import { S3Client } from '@aws-sdk/client-s3'

import { getEnv } from '../../src/config/env'
import { listObjects } from '../../src/storage/listObjects'
import { getR2ClientConfig } from '../../src/storage/r2Client'

/** Every key in the run's bucket, read straight from the S3-API server. */
export const listBucketKeys = async (): Promise<string[]> => {
  const { r2 } = getEnv()
  if (!r2) throw new Error('the test runs without a bucket')
  const client = new S3Client(getR2ClientConfig(r2))
  try {
    const keys: string[] = []
    for await (const object of listObjects({ client, bucket: r2.bucket }))
      keys.push(object.Key ?? '')
    return keys
  } finally {
    client.destroy()
  }
}
