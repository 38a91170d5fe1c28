import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

import type { TestProject } from 'vitest/node'

import './providedContext'
import { startS3Server } from './s3Server'
import { createTestDatabase, makeSharedTempDir } from './testDatabase'

/** Media URLs point here in the integration tests; nothing is fetched from it. */
export const testPublicBase = 'https://media.catalog.test'

export default async function setup(project: TestProject) {
  const database = await createTestDatabase('int')
  const mediaDir = makeSharedTempDir('catalog-int-media-')
  const s3 = await startS3Server()
  console.log(
    `integration tests: ${database.kind} PostgreSQL (fresh database), S3 API at ${s3.endpoint} (bucket ${s3.bucket})`,
  )
  project.provide('testContext', {
    databaseUrl: database.url,
    mediaDir: path.join(mediaDir, 'media'),
    payloadSecret: crypto.randomBytes(32).toString('hex'),
    // Integration tests run as production does: media in a bucket, URLs on the public base.
    r2Env: { ...s3.env, R2_PUBLIC_BASE: testPublicBase },
  })
  return async () => {
    await database.dispose()
    await s3.dispose()
    fs.rmSync(mediaDir, { recursive: true, force: true })
  }
}
