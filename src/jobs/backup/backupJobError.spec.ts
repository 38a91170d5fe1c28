import { describe, expect, it } from 'vitest'

import { getEnvSecretValues } from '../../server/observability/logger'
import { describeFailure, BackupJobError } from './backupJobError'

const env = {
  PAYLOAD_SECRET: 'payload-secret-0123456789abcdef0123456789abcdef',
  DATABASE_URL: 'postgres://catalog:s3cr%40t-pass@db.internal:5432/catalog',
  DRILL_DATABASE_URL: 'postgres://drill:drill-only-pass@staging:5432/catalog_drill',
  r2: {
    accessKeyId: 'access-key-id-123',
    secretAccessKey: 'r2-secret-access-key-456',
    bucket: 'catalog',
    endpoint: 'https://account.r2.cloudflarestorage.com',
  },
}

describe('describeFailure', () => {
  it('should cut every secret of the environment out of what a pg tool printed', () => {
    const printed = [
      'pg_restore failed: password s3cr@t-pass rejected',
      'for user drill with drill-only-pass',
      `key ${env.r2.secretAccessKey}, secret ${env.PAYLOAD_SECRET}`,
    ].join('; ')
    const line = describeFailure(new BackupJobError(printed), getEnvSecretValues(env))
    expect(line).toMatch(/^pg_restore failed: password \[redacted\] rejected/)
    for (const secret of [
      's3cr@t-pass',
      'drill-only-pass',
      env.r2.secretAccessKey,
      env.PAYLOAD_SECRET,
    ]) {
      expect(line).not.toContain(secret)
    }
  })

  it('should name the type of an unexpected error and remove URL credentials from it', () => {
    const line = describeFailure(
      new TypeError('bad value at postgres://someone:hunter2-pass@host/db'),
      [],
    )
    expect(line).toBe('TypeError: bad value at postgres://someone:[redacted]@host/db')
  })
})
