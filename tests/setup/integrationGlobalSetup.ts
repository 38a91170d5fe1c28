import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

import type { TestProject } from 'vitest/node'

import './providedContext'
import { startS3Server } from './s3Server'
import { createSetupSteps } from './setupSteps'
import { createTestDatabase, makeSharedTempDir } from './testDatabase'

/** Media URLs point here in the integration tests; nothing is fetched from it. */
export const testPublicBase = 'https://media.catalog.test'

export default async function setup(project: TestProject) {
  const steps = createSetupSteps()
  const database = await steps.start(
    'creating the test database',
    () => createTestDatabase('int'),
    (created) => created.dispose(),
  )
  const mediaDir = await steps.start(
    'creating the media directory',
    () => makeSharedTempDir('catalog-int-media-'),
    (dir) => fs.rmSync(dir, { recursive: true, force: true }),
  )
  const s3 = await steps.start(
    'starting the S3-API server',
    () => startS3Server(),
    (server) => server.dispose(),
  )
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
  return steps.stopAll
}
