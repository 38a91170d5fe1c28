import crypto from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'

import { HeadBucketCommand, S3Client } from '@aws-sdk/client-s3'
import S3rver from 's3rver'

/** s3rver checks request signatures against this fixed key pair. */
const s3rverCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }

export type TestS3Server = {
  /** Values for the R2_* variables that point the app at this server. */
  env: {
    R2_ACCESS_KEY_ID: string
    R2_SECRET_ACCESS_KEY: string
    R2_BUCKET: string
    R2_ENDPOINT: string
  }
  endpoint: string
  bucket: string
  /** Cuts every open connection and stops answering, as an outage would. */
  stop: () => Promise<void>
  /** Starts again on the same port with the same stored objects. */
  restart: () => Promise<void>
  /** Resolves once the bucket answers S3 requests. */
  waitUntilAnswering: () => Promise<void>
  dispose: () => Promise<void>
}

/**
 * A real S3-API server (s3rver) on 127.0.0.1 with a bucket of its own, storing objects in a
 * temporary directory: the tests talk S3 over HTTP exactly as the app talks to R2.
 */
export const startS3Server = async (port = 0): Promise<TestS3Server> => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-s3-'))
  const bucket = `catalog-test-${crypto.randomBytes(4).toString('hex')}`
  const create = (listenPort: number) =>
    new S3rver({
      address: '127.0.0.1',
      port: listenPort,
      silent: true,
      directory,
      configureBuckets: [{ name: bucket }],
    })
  let server = create(port)
  const address = await server.run()
  const endpoint = `http://127.0.0.1:${address.port}`
  let isRunning = true

  const stop = async () => {
    if (!isRunning) return
    isRunning = false
    server.httpServer?.closeAllConnections()
    await server.close()
  }

  return {
    env: {
      R2_ACCESS_KEY_ID: s3rverCredentials.accessKeyId,
      R2_SECRET_ACCESS_KEY: s3rverCredentials.secretAccessKey,
      R2_BUCKET: bucket,
      R2_ENDPOINT: endpoint,
    },
    endpoint,
    bucket,
    stop,
    restart: async () => {
      if (isRunning) return
      server = create(address.port)
      await server.run()
      isRunning = true
    },
    waitUntilAnswering: async () => {
      const client = new S3Client({
        endpoint,
        region: 'auto',
        forcePathStyle: true,
        credentials: s3rverCredentials,
        maxAttempts: 1,
      })
      try {
        for (let attempt = 0; ; attempt++) {
          try {
            await client.send(new HeadBucketCommand({ Bucket: bucket }))
            return
          } catch (error) {
            if (attempt >= 50) throw error
            await new Promise((resolve) => setTimeout(resolve, 100))
          }
        }
      } finally {
        client.destroy()
      }
    },
    dispose: async () => {
      await stop()
      fs.rmSync(directory, { recursive: true, force: true })
    },
  }
}
