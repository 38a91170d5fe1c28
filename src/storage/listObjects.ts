import { paginateListObjectsV2, type _Object, type S3Client } from '@aws-sdk/client-s3'

type ListObjectsArgs = {
  client: S3Client
  bucket: string
  /** Only keys starting with this; the whole bucket when absent. */
  prefix?: string
}

/** Every object in the bucket under the prefix, page after page (a page holds at most 1000). */
export async function* listObjects({
  client,
  bucket,
  prefix,
}: ListObjectsArgs): AsyncGenerator<_Object> {
  for await (const page of paginateListObjectsV2({ client }, { Bucket: bucket, Prefix: prefix })) {
    yield* page.Contents ?? []
  }
}
