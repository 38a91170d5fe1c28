import { inject } from 'vitest'

import './providedContext'

// Runs in each worker before a test file is imported, so the Payload config reads these values.
const context = inject('testContext')
Object.assign(process.env, {
  DATABASE_URL: context.databaseUrl,
  MEDIA_DIR: context.mediaDir,
  PAYLOAD_SECRET: context.payloadSecret,
  SEED_ON_EMPTY: 'false',
  // Tests provoke errors on purpose; set LOG_LEVEL to see Payload's logs while debugging.
  LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
  // Every file signs in many times from the same (absent) address; the rate-limit tests set their
  // own, low limits and addresses.
  LOGIN_RATE_LIMIT_IP_ATTEMPTS: '100000',
  // Files share one database: a runner in every process that serves the API would run other files'
  // jobs. The files that test the runner start replicas with JOBS_AUTORUN=true.
  JOBS_AUTORUN: process.env.JOBS_AUTORUN ?? 'false',
  ...context.r2Env,
})
