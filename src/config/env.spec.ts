import { describe, expect, it } from 'vitest'

import fs from 'node:fs'
import path from 'node:path'

import { envSchema, InvalidEnvironmentError, parseEnv } from './env'

const validProduction: NodeJS.ProcessEnv = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://catalog:s3cret-value@db.internal:5432/catalog',
  PAYLOAD_SECRET: 'x'.repeat(40),
  MEDIA_DIR: '/var/lib/catalog-cms/media',
  SERVER_URL: 'https://cms.example.com',
}

const r2Connection: Record<string, string> = {
  R2_ACCESS_KEY_ID: 'key-id',
  R2_SECRET_ACCESS_KEY: 'secret-key',
  R2_BUCKET: 'catalog',
  R2_ENDPOINT: 'https://account.r2.cloudflarestorage.com',
}

const validPasswordHash = `pbkdf2-sha256-v1$${'a1'.repeat(32)}$${'b2'.repeat(32)}`

const problemsOf = (source: NodeJS.ProcessEnv): string[] => {
  try {
    parseEnv({ source })
  } catch (error) {
    if (error instanceof InvalidEnvironmentError) return error.problems
    throw error
  }
  return []
}

describe('parseEnv', () => {
  it('should accept a complete production environment', () => {
    const env = parseEnv({ source: validProduction })
    expect(env).toMatchObject({ isProduction: true, PORT: 3000, isSeedOnEmpty: false })
  })

  it('should list every missing production variable in one error', () => {
    const problems = problemsOf({ NODE_ENV: 'production' })
    expect(problems).toHaveLength(4)
    expect(problems[0]).toMatch(/^DATABASE_URL: required in production; a PostgreSQL URL/)
    expect(problems[1]).toMatch(/^PAYLOAD_SECRET: required in production/)
    expect(problems[2]).toMatch(/^MEDIA_DIR: required in production unless media go to R2/)
    expect(problems[3]).toMatch(/^SERVER_URL: required in production unless media are served/)
  })

  // Regression: production fell back to .data/media in the checkout, the development media.
  it('should require MEDIA_DIR or R2 in production, naming the variables of both', () => {
    const { MEDIA_DIR, ...withoutMediaDir } = validProduction
    expect(problemsOf(withoutMediaDir)).toEqual([
      'MEDIA_DIR: required in production unless media go to R2; a persistent directory such as /var/lib/catalog-cms/media, or set R2_ACCESS_KEY_ID, R2_SECRET_ACCESS_KEY, R2_BUCKET, R2_ENDPOINT instead',
    ])
    expect(parseEnv({ source: validProduction }).MEDIA_DIR).toBe(MEDIA_DIR)
    expect(parseEnv({ source: { ...withoutMediaDir, ...r2Connection } }).r2?.bucket).toBe('catalog')
    // A partial bucket configuration is reported by the R2 variables it lacks, not as MEDIA_DIR.
    const partial = problemsOf({ ...withoutMediaDir, R2_BUCKET: 'catalog' })
    expect(partial.some((problem) => problem.startsWith('MEDIA_DIR'))).toBe(false)
    expect(partial.length).toBeGreaterThan(0)
  })

  it('should keep the local media default outside production', () => {
    const env = parseEnv({ source: { NODE_ENV: 'development', PAYLOAD_SECRET: 'y'.repeat(32) } })
    expect(env.MEDIA_DIR).toMatch(/[/\\]media$/)
  })

  it('should not require production variables while `next build` bundles', () => {
    expect(() => parseEnv({ source: { NODE_ENV: 'production' }, isBuildPhase: true })).not.toThrow()
  })

  it('should describe invalid values without echoing them', () => {
    const source = {
      ...validProduction,
      DATABASE_URL: 'mysql://root:hunter2-secret@db/catalog',
      PAYLOAD_SECRET: 'short-secret-value',
      PORT: '70000',
    }
    let message = ''
    try {
      parseEnv({ source })
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toMatch(/3 environment variable\(s\)/)
    expect(message).toMatch(/DATABASE_URL: a PostgreSQL URL/)
    expect(message).toMatch(/PORT: a TCP port number/)
    expect(message).not.toContain('hunter2-secret')
    expect(message).not.toContain('short-secret-value')
  })

  it('should require a password or a password hash with ADMIN_EMAIL', () => {
    expect(problemsOf({ ...validProduction, ADMIN_EMAIL: 'admin@example.com' })).toEqual([
      'ADMIN_PASSWORD_HASH: required when ADMIN_EMAIL is set: the output of `npm run hash-password` (or a plain ADMIN_PASSWORD)',
    ])
    expect(problemsOf({ ...validProduction, ADMIN_PASSWORD_HASH: validPasswordHash })).toEqual([
      'ADMIN_EMAIL: required when ADMIN_PASSWORD or ADMIN_PASSWORD_HASH is set',
    ])
  })

  it('should refuse both a password and a password hash', () => {
    expect(
      problemsOf({
        ...validProduction,
        ADMIN_EMAIL: 'admin@example.com',
        ADMIN_PASSWORD: 'a-long-enough-password',
        ADMIN_PASSWORD_HASH: validPasswordHash,
      }),
    ).toEqual(['ADMIN_PASSWORD: set ADMIN_PASSWORD or ADMIN_PASSWORD_HASH, not both'])
  })

  it('should refuse a password hash in another format without echoing it', () => {
    const problems = problemsOf({
      ...validProduction,
      ADMIN_EMAIL: 'admin@example.com',
      ADMIN_PASSWORD_HASH: 'not-a-hash-value',
    })
    expect(problems).toEqual(['ADMIN_PASSWORD_HASH: the output of `npm run hash-password`'])
  })

  it('should read lists of origins and replica URLs, and refuse an origin with a path', () => {
    const env = parseEnv({
      source: {
        ...validProduction,
        CORS_ORIGINS: 'https://shop.example.com, http://localhost:3001',
        DATABASE_REPLICA_URLS:
          'postgres://reader@replica-1/catalog,postgres://reader@replica-2/catalog',
      },
    })
    expect(env.CORS_ORIGINS).toEqual(['https://shop.example.com', 'http://localhost:3001'])
    expect(env.DATABASE_REPLICA_URLS).toHaveLength(2)
    expect(
      problemsOf({ ...validProduction, CORS_ORIGINS: 'https://shop.example.com/path' }),
    ).toEqual(['CORS_ORIGINS.0: origins such as https://admin.example.com (no path)'])
  })

  it('should treat blank values as unset, as in a copied .env.example', () => {
    const env = parseEnv({
      source: {
        ...validProduction,
        STORAGE_REPORT_INTERVAL_SECONDS: '',
        LOGIN_RATE_LIMIT_IP_ATTEMPTS: ' ',
        TRUST_PROXY: '',
        ADMIN_EMAIL: '',
        ADMIN_PASSWORD_HASH: '',
      },
    })
    expect(env.STORAGE_REPORT_INTERVAL_SECONDS).toBe(300)
    expect(env.LOGIN_RATE_LIMIT_IP_ATTEMPTS).toBe(20)
    expect(env.TRUST_PROXY).toBe(0)
  })

  it('should accept .env.example as it is, and know every variable it lists', () => {
    const example = fs.readFileSync(path.resolve(import.meta.dirname, '../../.env.example'), 'utf8')
    const entries = example
      .split('\n')
      .filter((line) => /^[A-Z0-9_]+=/.test(line))
      .map((line) => line.split('=', 2) as [string, string])
    expect(entries.length).toBeGreaterThan(20)
    const env = parseEnv({ source: { ...Object.fromEntries(entries), NODE_ENV: 'development' } })
    expect(env.PORT).toBe(3000)
    // Read before the environment is parsed, to find the embedded database (src/config/localDefaults.ts).
    const localDefaults = ['LOCAL_DATA_DIR', 'EMBEDDED_POSTGRES_PORT']
    const known = new Set([...Object.keys(envSchema.shape), ...localDefaults])
    expect(entries.map(([name]) => name).filter((name) => !known.has(name))).toEqual([])
  })

  it('should keep backup retention within 7 to 30 days', () => {
    expect(problemsOf({ ...validProduction, BACKUP_RETENTION_DAYS: '3' })).toEqual([
      'BACKUP_RETENTION_DAYS: at least 7 days',
    ])
    expect(parseEnv({ source: validProduction }).BACKUP_RETENTION_DAYS).toBe(14)
  })

  it('should limit decoded images to 40 megapixels unless MEDIA_MAX_PIXELS says otherwise', () => {
    expect(parseEnv({ source: validProduction }).MEDIA_MAX_PIXELS).toBe(40_000_000)
    expect(
      parseEnv({ source: { ...validProduction, MEDIA_MAX_PIXELS: '100000000' } }).MEDIA_MAX_PIXELS,
    ).toBe(100_000_000)
    expect(problemsOf({ ...validProduction, MEDIA_MAX_PIXELS: '40MP' })).toEqual([
      'MEDIA_MAX_PIXELS: a number of pixels, e.g. 40000000 for 40 megapixels',
    ])
    expect(problemsOf({ ...validProduction, MEDIA_MAX_PIXELS: '1000' })).toEqual([
      'MEDIA_MAX_PIXELS: at least 1000000 pixels (1 megapixel)',
    ])
    expect(problemsOf({ ...validProduction, MEDIA_MAX_PIXELS: '300000000' })).toEqual([
      'MEDIA_MAX_PIXELS: at most 268402689 pixels (16383 × 16383)',
    ])
  })

  it('should name every missing R2 variable when only some are set', () => {
    const problems = problemsOf({
      ...validProduction,
      R2_BUCKET: 'catalog',
      R2_ACCESS_KEY_ID: 'key-id',
    })
    expect(problems.map((problem) => problem.split(':')[0]).sort()).toEqual([
      'R2_ENDPOINT',
      'R2_SECRET_ACCESS_KEY',
    ])
    expect(problems[0]).toMatch(
      /set all of R2_ACCESS_KEY_ID, R2_SECRET_ACCESS_KEY, R2_BUCKET, R2_ENDPOINT/,
    )
  })

  it('should refuse R2_PUBLIC_BASE without a bucket', () => {
    expect(problemsOf({ ...validProduction, R2_PUBLIC_BASE: 'https://media.example.com' })).toEqual(
      [
        'R2_PUBLIC_BASE: only used with R2; also set R2_ACCESS_KEY_ID, R2_SECRET_ACCESS_KEY, R2_BUCKET, R2_ENDPOINT',
      ],
    )
  })

  it('should build the R2 settings when all variables are set, without a trailing slash on the base', () => {
    const env = parseEnv({
      source: {
        ...validProduction,
        ...r2Connection,
        R2_PUBLIC_BASE: 'https://media.example.com/',
      },
    })
    expect(env.r2).toEqual({
      accessKeyId: 'key-id',
      secretAccessKey: 'secret-key',
      bucket: 'catalog',
      endpoint: 'https://account.r2.cloudflarestorage.com',
      publicBase: 'https://media.example.com',
    })
    expect(env.MEDIA_KEY_PREFIX).toBe('media')
  })

  it('should keep media on local disk when no R2 variable is set', () => {
    expect(parseEnv({ source: validProduction }).r2).toBeUndefined()
  })

  it('should seed an empty database by default in development only', () => {
    expect(
      parseEnv({ source: { NODE_ENV: 'development', PAYLOAD_SECRET: 'y'.repeat(32) } })
        .isSeedOnEmpty,
    ).toBe(true)
    expect(
      parseEnv({ source: { NODE_ENV: 'test', PAYLOAD_SECRET: 'y'.repeat(32) } }).isSeedOnEmpty,
    ).toBe(false)
    expect(
      parseEnv({
        source: { NODE_ENV: 'development', PAYLOAD_SECRET: 'y'.repeat(32), SEED_ON_EMPTY: 'false' },
      }).isSeedOnEmpty,
    ).toBe(false)
  })

  it('should fall back to the embedded database outside production', () => {
    const env = parseEnv({ source: { NODE_ENV: 'development', PAYLOAD_SECRET: 'y'.repeat(32) } })
    expect(env.DATABASE_URL).toMatch(/^postgres:\/\/postgres:[^@]+@127\.0\.0\.1:\d+\/catalog$/)
  })
})

describe('SERVER_URL', () => {
  const { SERVER_URL: _serverUrl, ...withoutServerUrl } = validProduction
  const development: NodeJS.ProcessEnv = { NODE_ENV: 'development', PAYLOAD_SECRET: 'y'.repeat(32) }

  it('should be the configured origin, without a trailing slash', () => {
    expect(parseEnv({ source: validProduction }).SERVER_URL).toBe('https://cms.example.com')
    expect(
      parseEnv({ source: { ...validProduction, SERVER_URL: 'http://127.0.0.1:8080/' } }).SERVER_URL,
    ).toBe('http://127.0.0.1:8080')
  })

  it('should default to localhost on PORT outside production', () => {
    expect(parseEnv({ source: development }).SERVER_URL).toBe('http://localhost:3000')
    expect(parseEnv({ source: { ...development, PORT: '4100' } }).SERVER_URL).toBe(
      'http://localhost:4100',
    )
  })

  // Regression: media served through the app had relative URLs, useless to frontends elsewhere.
  it('should be required in production unless media are served from R2_PUBLIC_BASE', () => {
    expect(problemsOf(withoutServerUrl)).toEqual([
      'SERVER_URL: required in production unless media are served from R2_PUBLIC_BASE; the public origin of the app, such as https://cms.example.com',
    ])
    expect(problemsOf({ ...withoutServerUrl, ...r2Connection })).toHaveLength(1)
    const withPublicBase = parseEnv({
      source: { ...withoutServerUrl, ...r2Connection, R2_PUBLIC_BASE: 'https://media.example.com' },
    })
    expect(withPublicBase.SERVER_URL).toBeUndefined()
  })

  it.each([
    ['a path', 'https://cms.example.com/admin'],
    ['a query', 'https://cms.example.com?x=1'],
    ['credentials', 'https://user:secret-pass@cms.example.com'],
    ['another scheme', 'ftp://cms.example.com'],
    ['no scheme', 'cms.example.com'],
  ])('should refuse an origin with %s, without echoing it', (_label, value) => {
    const problems = problemsOf({ ...validProduction, SERVER_URL: value })
    expect(problems).toEqual([
      'SERVER_URL: the public origin of the app, e.g. https://cms.example.com (no path)',
    ])
  })
})

describe('purge targets', () => {
  const zoneId = '0123456789abcdef0123456789abcdef'
  const token = 'cf-token-that-must-never-be-echoed-0123'

  it('should read Cloudflare settings and Varnish URLs, rates with decimals', () => {
    const env = parseEnv({
      source: {
        ...validProduction,
        CLOUDFLARE_API_TOKEN: token,
        CLOUDFLARE_ZONE_ID: zoneId,
        CLOUDFLARE_PURGE_RATE: '0.083',
        CACHE_PURGE_URLS: 'http://varnish-1:6081, http://varnish-2:6081',
      },
    })
    expect(env).toMatchObject({
      CLOUDFLARE_API_TOKEN: token,
      CLOUDFLARE_ZONE_ID: zoneId,
      CLOUDFLARE_PURGE_RATE: 0.083,
      CACHE_PURGE_URLS: ['http://varnish-1:6081', 'http://varnish-2:6081'],
    })
    expect(parseEnv({ source: validProduction }).CACHE_PURGE_URLS).toEqual([])
  })

  it('should want the token and the zone together, and never echo the token', () => {
    const problems = problemsOf({ ...validProduction, CLOUDFLARE_API_TOKEN: token })
    expect(problems).toEqual([expect.stringMatching(/^CLOUDFLARE_ZONE_ID: required with/)])
    expect(problemsOf({ ...validProduction, CLOUDFLARE_ZONE_ID: zoneId })).toEqual([
      expect.stringMatching(/^CLOUDFLARE_API_TOKEN: required with/),
    ])
    const invalid = problemsOf({
      ...validProduction,
      CLOUDFLARE_API_TOKEN: token,
      CLOUDFLARE_ZONE_ID: 'not-a-zone',
      CLOUDFLARE_PURGE_RATE: '0',
      CACHE_PURGE_URLS: 'varnish:6081',
    })
    expect(invalid.map((problem) => problem.split(':')[0]).sort()).toEqual([
      'CACHE_PURGE_URLS.0',
      'CLOUDFLARE_PURGE_RATE',
      'CLOUDFLARE_ZONE_ID',
    ])
    expect(invalid.join('\n')).not.toContain(token)
  })
})
