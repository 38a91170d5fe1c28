import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

import type { TestProject } from 'vitest/node'

import { payloadCliArgs } from '../../src/jobs/payloadCli'

import {
  buildForProduction,
  getFreePort,
  hasProductionBuild,
  runOrThrow,
  startApp,
} from './appServer'
import './providedContext'
import { startS3Server } from './s3Server'
import { createSetupSteps } from './setupSteps'
import { createTestDatabase, makeSharedTempDir } from './testDatabase'

/**
 * Browser tests run against the production build (`npm run build`) served as production serves it,
 * on a fresh database migrated with the committed migrations: the path operators take.
 * E2E_REUSE_BUILD=1 reuses an existing build when iterating on the tests themselves.
 */
export default async function setup(project: TestProject) {
  const steps = createSetupSteps()
  const database = await steps.start(
    'creating the test database',
    () => createTestDatabase('e2e'),
    (created) => created.dispose(),
  )
  // Media go to a real S3-API server, and browsers load them from it, as they would from R2.
  const s3 = await steps.start(
    'starting the S3-API server',
    () => startS3Server(),
    (server) => server.dispose(),
  )
  const workDir = await steps.start(
    'creating the work directory',
    () => makeSharedTempDir('catalog-e2e-'),
    (dir) => fs.rmSync(dir, { recursive: true, force: true }),
  )
  const adminEmail = 'e2e-admin@example.test'
  const adminPassword = crypto.randomBytes(12).toString('hex')
  const payloadSecret = crypto.randomBytes(32).toString('hex')
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: database.url,
    PAYLOAD_SECRET: payloadSecret,
    ADMIN_EMAIL: adminEmail,
    ADMIN_PASSWORD: adminPassword,
    MEDIA_DIR: path.join(workDir, 'media'),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    // The browser journeys and the replica tests all sign in from 127.0.0.1.
    LOGIN_RATE_LIMIT_IP_ATTEMPTS: '1000',
    // Its job runner on, as in production (the default), whatever the shell says: the browser
    // journeys wait for scheduled publishes and CSV imports to run.
    JOBS_AUTORUN: 'true',
    NEXT_TELEMETRY_DISABLED: '1',
    ...s3.env,
    R2_PUBLIC_BASE: `${s3.endpoint}/${s3.bucket}`,
  }

  if (!(process.env.E2E_REUSE_BUILD === '1' && hasProductionBuild()))
    await steps.start('building for production (npm run build)', () => buildForProduction(env))
  await steps.start('migrating the test database', () =>
    runOrThrow(process.execPath, payloadCliArgs(['migrate']), env),
  )
  const appLogFile = path.join(workDir, 'app.log')
  const app = await steps.start(
    'starting the app',
    async () => startApp({ env, port: await getFreePort(), logFile: appLogFile }),
    async (started) => {
      await started.stop()
    },
  )

  project.provide('testContext', {
    databaseUrl: database.url,
    mediaDir: env.MEDIA_DIR as string,
    payloadSecret,
    r2Env: { ...s3.env, R2_PUBLIC_BASE: env.R2_PUBLIC_BASE as string },
    appUrl: app.url,
    adminEmail,
    adminPassword,
    appLogFile,
  })

  return steps.stopAll
}
