import path from 'node:path'

import { z } from 'zod'

import { adminPasswordLength, portableHashPattern } from './auth/passwordHash'
import { getLocalDataDir, getLocalDatabaseUrl, readOrCreateLocalSecret } from './localDefaults'

/**
 * The one place that reads and validates process.env. Everything else receives a typed `AppEnv`.
 *
 * Messages describe the expected shape and never echo a value: values may be secrets.
 */

const postgresUrl = z
  .string()
  .regex(
    /^postgres(ql)?:\/\/\S+$/,
    'a PostgreSQL URL such as postgres://user:password@host:5432/catalog',
  )

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value))

const booleanFlag = z
  .enum(['true', 'false', '1', '0'], { error: 'true or false' })
  .optional()
  .transform((value) => (value === undefined ? undefined : value === 'true' || value === '1'))

/** A comma-separated list, each entry checked by `item`; empty means none. */
const commaSeparated = (item: z.ZodType<string, string>) =>
  optionalText
    .transform((value) =>
      (value ?? '')
        .split(',')
        .map((entry) => entry.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item))

const wholeNumber = (unit: string, min: number, max: number) =>
  z.coerce
    .number({ error: `a number of ${unit}` })
    .int(`a whole number of ${unit}`)
    .min(min, `at least ${min} ${unit}`)
    .max(max, `at most ${max} ${unit}`)

/** Origins as browsers send them: scheme, host and port, no path. */
const origin = z
  .string()
  .regex(/^https?:\/\/[^/\s?#]+$/, 'origins such as https://admin.example.com (no path)')

/** sharp's default `limitInputPixels`: what it decodes when nothing says otherwise. */
const maxDecodablePixels = 0x3fff * 0x3fff

const r2ConnectionVariables = [
  'R2_ACCESS_KEY_ID',
  'R2_SECRET_ACCESS_KEY',
  'R2_BUCKET',
  'R2_ENDPOINT',
] as const

export const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    DATABASE_URL: optionalText.pipe(postgresUrl.optional()),
    PAYLOAD_SECRET: optionalText.pipe(
      z
        .string()
        .min(32, 'at least 32 characters, e.g. the output of `openssl rand -hex 32`')
        .optional(),
    ),
    ADMIN_EMAIL: optionalText.pipe(
      z.email('an email address such as admin@example.com').optional(),
    ),
    ADMIN_PASSWORD: optionalText.pipe(
      z
        .string()
        .min(adminPasswordLength.min, `at least ${adminPasswordLength.min} characters`)
        .max(adminPasswordLength.max, `at most ${adminPasswordLength.max} characters`)
        .optional(),
    ),
    ADMIN_PASSWORD_HASH: optionalText.pipe(
      z.string().regex(portableHashPattern, 'the output of `npm run hash-password`').optional(),
    ),
    /** How many reverse proxies in front of the app may be trusted to append X-Forwarded-For. */
    TRUST_PROXY: wholeNumber('proxy hops', 0, 10).default(0),
    LOGIN_RATE_LIMIT_WINDOW_SECONDS: wholeNumber('seconds', 10, 86_400).default(15 * 60),
    LOGIN_RATE_LIMIT_ACCOUNT_FAILURES: wholeNumber('failed logins', 1, 1000).default(5),
    LOGIN_RATE_LIMIT_IP_ATTEMPTS: wholeNumber('attempts', 1, 100_000).default(20),
    REQUIRE_2FA_FOR_ADMINS: booleanFlag,
    CORS_ORIGINS: commaSeparated(origin),
    DATABASE_REPLICA_URLS: commaSeparated(postgresUrl),
    /**
     * PostgreSQL's statement_timeout for anonymous REST and GraphQL reads: a query stopped by it
     * is answered 503. Every accepted query plans and runs in milliseconds on the catalog's scale.
     */
    PUBLIC_QUERY_TIMEOUT_MS: wholeNumber('milliseconds', 100, 60_000).default(2000),
    /** Seconds a replica keeps serving after SIGTERM while /api/ready answers 503. */
    SHUTDOWN_DRAIN_SECONDS: wholeNumber('seconds', 0, 120).default(0),
    BACKUP_DIR: optionalText.transform((value) => value ?? path.join(getLocalDataDir(), 'backups')),
    BACKUP_RETENTION_DAYS: wholeNumber('days', 7, 30).default(14),
    DRILL_DATABASE_URL: optionalText.pipe(postgresUrl.optional()),
    PORT: z.coerce
      .number({ error: 'a TCP port number' })
      .int('a TCP port number')
      .min(1, 'a TCP port number between 1 and 65535')
      .max(65535, 'a TCP port number between 1 and 65535')
      .default(3000),
    /**
     * The app's public origin: media URLs served through the app are absolute on it. Configured,
     * never read from a request's Host header, which a client chooses and caches do not key on.
     */
    SERVER_URL: optionalText.pipe(
      z
        .string()
        .regex(
          /^https?:\/\/[^/\s?#@]+\/?$/,
          'the public origin of the app, e.g. https://cms.example.com (no path)',
        )
        .optional(),
    ),
    LOG_LEVEL: z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        error: 'one of fatal, error, warn, info, debug, trace, silent',
      })
      .default('info'),
    METRICS_TOKEN: optionalText.pipe(
      z
        .string()
        .min(16, 'at least 16 characters, e.g. the output of `openssl rand -hex 16`')
        .optional(),
    ),
    STORAGE_REPORT_INTERVAL_SECONDS: z.coerce
      .number({ error: 'a number of seconds' })
      .int('a whole number of seconds')
      .min(10, 'at least 10 seconds')
      .default(300),
    CATALOG_CACHE_TTL_SECONDS: z.coerce
      .number({ error: 'a number of seconds' })
      .int('a whole number of seconds')
      .min(1, 'at least 1 second')
      .max(3600, 'at most 3600 seconds')
      .default(60),
    /** The cache of anonymous REST and GraphQL reads (and the catalog's): on unless `false`. */
    RESPONSE_CACHE_ENABLED: booleanFlag.transform((value) => value ?? true),
    /** Memory for cached API answers: bodies, their br and gzip encodings, bookkeeping. */
    RESPONSE_CACHE_MAX_BYTES: wholeNumber('bytes', 1024 * 1024, 16 * 1024 * 1024 * 1024).default(
      64 * 1024 * 1024,
    ),
    /**
     * Cloudflare's purge API, for a CDN in front of the app: the token (Zone → Cache Purge only)
     * and the zone go together; the base URL exists so tests can point it at a local server.
     */
    CLOUDFLARE_API_TOKEN: optionalText.pipe(
      z.string().min(20, 'a Cloudflare API token (40 characters)').optional(),
    ),
    CLOUDFLARE_ZONE_ID: optionalText.pipe(
      z
        .string()
        .regex(
          /^[0-9a-f]{32}$/i,
          "the zone ID from the domain's Overview page (32 hexadecimal characters)",
        )
        .optional(),
    ),
    CLOUDFLARE_API_BASE: optionalText.pipe(
      z.url({ error: 'a URL such as https://api.cloudflare.com/client/v4' }).optional(),
    ),
    /** Purge calls a second this replica may make: the plan's rate divided among the replicas. */
    CLOUDFLARE_PURGE_RATE: z.coerce
      .number({ error: 'a number of calls per second, e.g. 0.08 (Free), 5 (Pro)' })
      .positive('more than 0 calls per second')
      .max(1000, 'at most 1000 calls per second')
      .optional(),
    /** HTTP caches in front of the app (Varnish with xkey), purged with PURGE and xkey-purge. */
    CACHE_PURGE_URLS: commaSeparated(
      z.string().regex(/^https?:\/\/\S+$/, 'base URLs such as http://varnish-1:6081'),
    ),
    /**
     * This replica runs background jobs (scheduled publishing, CSV imports and exports, audit
     * retention): on unless `false`. Any number of replicas may; each job runs once.
     */
    JOBS_AUTORUN: booleanFlag.transform((value) => value ?? true),
    AUDIT_RETENTION_DAYS: z.coerce
      .number({ error: 'a number of days' })
      .int('a whole number of days')
      .min(1, 'at least 1 day')
      .default(365),
    MEDIA_DIR: optionalText.transform((value) => value ?? path.join(getLocalDataDir(), 'media')),
    MEDIA_MAX_BYTES: z.coerce
      .number({ error: 'a size in bytes, e.g. 10485760 for 10 MiB' })
      .int('a whole number of bytes')
      .min(1024, 'at least 1024 bytes')
      .default(10 * 1024 * 1024),
    /**
     * Largest decoded image, width × height × frames: a PNG of a few hundred KB can declare 256
     * megapixels, up to 1 GB once decoded. 40 MP is more than any phone photo. The ceiling is sharp's
     * own default limit, which this replaces.
     */
    MEDIA_MAX_PIXELS: z.coerce
      .number({ error: 'a number of pixels, e.g. 40000000 for 40 megapixels' })
      .int('a whole number of pixels')
      .min(1_000_000, 'at least 1000000 pixels (1 megapixel)')
      .max(maxDecodablePixels, `at most ${maxDecodablePixels} pixels (16383 × 16383)`)
      .default(40_000_000),
    MEDIA_KEY_PREFIX: optionalText.pipe(
      z
        .string()
        .regex(
          /^[a-z0-9][a-z0-9/_-]*$/i,
          'letters, digits, dashes and slashes, e.g. media or catalog/media',
        )
        .optional(),
    ),
    R2_ACCESS_KEY_ID: optionalText,
    R2_SECRET_ACCESS_KEY: optionalText,
    R2_BUCKET: optionalText,
    R2_ENDPOINT: optionalText.pipe(
      z
        .url({ error: 'an https URL such as https://<account>.r2.cloudflarestorage.com' })
        .optional(),
    ),
    R2_PUBLIC_BASE: optionalText.pipe(
      z
        .url({ error: 'the public URL of the bucket or its CDN, e.g. https://media.example.com' })
        .optional(),
    ),
    SEED_ON_EMPTY: booleanFlag,
  })
  .superRefine((env, ctx) => {
    const presentR2 = r2ConnectionVariables.filter((name) => env[name])
    if (presentR2.length > 0) {
      for (const name of r2ConnectionVariables.filter((name) => !env[name])) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          message: `required because ${presentR2.join(', ')} ${presentR2.length === 1 ? 'is' : 'are'} set; set all of ${r2ConnectionVariables.join(', ')} to store media in R2, or none for local disk`,
        })
      }
    } else if (env.R2_PUBLIC_BASE) {
      ctx.addIssue({
        code: 'custom',
        path: ['R2_PUBLIC_BASE'],
        message: `only used with R2; also set ${r2ConnectionVariables.join(', ')}`,
      })
    }
    if (Boolean(env.CLOUDFLARE_API_TOKEN) !== Boolean(env.CLOUDFLARE_ZONE_ID)) {
      const missing = env.CLOUDFLARE_API_TOKEN ? 'CLOUDFLARE_ZONE_ID' : 'CLOUDFLARE_API_TOKEN'
      ctx.addIssue({
        code: 'custom',
        path: [missing],
        message: `required with ${env.CLOUDFLARE_API_TOKEN ? 'CLOUDFLARE_API_TOKEN' : 'CLOUDFLARE_ZONE_ID'}: set both to purge Cloudflare, or neither`,
      })
    }
    if (env.ADMIN_PASSWORD && env.ADMIN_PASSWORD_HASH) {
      ctx.addIssue({
        code: 'custom',
        path: ['ADMIN_PASSWORD'],
        message: 'set ADMIN_PASSWORD or ADMIN_PASSWORD_HASH, not both',
      })
    }
    const hasAdminPassword = Boolean(env.ADMIN_PASSWORD || env.ADMIN_PASSWORD_HASH)
    if (Boolean(env.ADMIN_EMAIL) !== hasAdminPassword) {
      const missing = env.ADMIN_EMAIL ? 'ADMIN_PASSWORD_HASH' : 'ADMIN_EMAIL'
      ctx.addIssue({
        code: 'custom',
        path: [missing],
        message: env.ADMIN_EMAIL
          ? 'required when ADMIN_EMAIL is set: the output of `npm run hash-password` (or a plain ADMIN_PASSWORD)'
          : 'required when ADMIN_PASSWORD or ADMIN_PASSWORD_HASH is set',
      })
    }
  })

/** Where media objects go when a bucket is configured. */
export type R2Settings = {
  accessKeyId: string
  secretAccessKey: string
  bucket: string
  endpoint: string
  /** Public base URL (bucket domain or CDN) without a trailing slash, when media are served from it. */
  publicBase?: string
}

type SchemaOutput = z.output<typeof envSchema>
type R2Variable = (typeof r2ConnectionVariables)[number] | 'R2_PUBLIC_BASE'

export type AppEnv = Omit<
  SchemaOutput,
  | 'SEED_ON_EMPTY'
  | 'REQUIRE_2FA_FOR_ADMINS'
  | 'DATABASE_URL'
  | 'PAYLOAD_SECRET'
  | 'MEDIA_KEY_PREFIX'
  | 'SERVER_URL'
  | R2Variable
> & {
  /**
   * The app's public origin, without a trailing slash: `SERVER_URL`, or `http://localhost:<PORT>`
   * outside production. Unset only in production with R2_PUBLIC_BASE, where no URL needs it.
   */
  SERVER_URL?: string
  /** Set when all R2 variables are; media then live in that bucket instead of MEDIA_DIR. */
  r2?: R2Settings
  /** Key prefix (folder) of media objects in the bucket, without slashes at either end. */
  MEDIA_KEY_PREFIX: string
  DATABASE_URL: string
  PAYLOAD_SECRET: string
  /** Seed sample data into an empty database at boot. Defaults to true in development only. */
  isSeedOnEmpty: boolean
  /** Admins must enrol in TOTP two-factor authentication before they can use the admin. */
  isTwoFactorRequiredForAdmins: boolean
  isProduction: boolean
}

type Requirement = {
  name: keyof z.output<typeof envSchema>
  hint: string
  /** When production can do without the variable, and how that reads in the message. */
  unless?: { description: string; holds: (source: NodeJS.ProcessEnv) => boolean }
}

const isSet = (source: NodeJS.ProcessEnv, name: string): boolean => Boolean(source[name]?.trim())

const productionRequirements: Requirement[] = [
  {
    name: 'DATABASE_URL',
    hint: 'a PostgreSQL URL such as postgres://user:password@host:5432/catalog',
  },
  {
    name: 'PAYLOAD_SECRET',
    hint: 'a random string of at least 32 characters, e.g. the output of `openssl rand -hex 32`',
  },
  {
    // Media need a home chosen for production: the default under `.data/` belongs to a development
    // checkout. A partial set of R2 variables is already reported by name, so any one of them
    // silences this.
    name: 'MEDIA_DIR',
    hint: `a persistent directory such as /var/lib/catalog-cms/media, or set ${r2ConnectionVariables.join(', ')} instead`,
    unless: {
      description: 'media go to R2',
      holds: (source) => r2ConnectionVariables.some((name) => isSet(source, name)),
    },
  },
  {
    // Media served through the app get absolute URLs on its origin, which production cannot guess:
    // localhost would be wrong for every reader.
    name: 'SERVER_URL',
    hint: 'the public origin of the app, such as https://cms.example.com',
    unless: {
      description: 'media are served from R2_PUBLIC_BASE',
      holds: (source) => isSet(source, 'R2_PUBLIC_BASE'),
    },
  },
]

/** The production requirements `source` misses, as messages; a variable reported invalid is not. */
const missingProductionVariables = (source: NodeJS.ProcessEnv, problems: string[]): string[] =>
  productionRequirements
    .filter(
      ({ name, unless }) =>
        !isSet(source, name) &&
        !unless?.holds(source) &&
        !problems.some((problem) => problem.startsWith(`${name}:`)),
    )
    .map(
      ({ name, hint, unless }) =>
        `${name}: required in production${unless ? ` unless ${unless.description}` : ''}; ${hint}`,
    )

const buildPlaceholderDatabaseUrl = 'postgres://build-placeholder.invalid/none'
const buildPlaceholderSecret = 'build-placeholder-never-used-to-sign-anything'

export class InvalidEnvironmentError extends Error {
  readonly problems: string[]

  constructor(problems: string[]) {
    super(
      [
        `catalog-cms cannot start: ${problems.length} environment variable(s) missing or invalid:`,
        ...problems.map((problem) => `  - ${problem}`),
        'See .env.example and the README for every variable.',
      ].join('\n'),
    )
    this.name = 'InvalidEnvironmentError'
    this.problems = problems
  }
}

type ParseEnvArgs = {
  source?: NodeJS.ProcessEnv
  /**
   * `next build` runs with NODE_ENV=production but never connects anywhere, so the production
   * requirements are checked when the server starts, not while bundling.
   */
  isBuildPhase?: boolean
}

export const parseEnv = ({
  source = process.env,
  isBuildPhase = false,
}: ParseEnvArgs = {}): AppEnv => {
  // `NAME=` (a copied .env.example, an empty secret in a process manager) means "not set": without
  // this, numbers would read it as 0 and fail, and defaults would never apply.
  const setValues = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value.trim() !== ''),
  )
  const result = envSchema.safeParse(setValues)
  const problems: string[] = []
  if (!result.success) {
    for (const issue of result.error.issues) {
      problems.push(`${issue.path.join('.') || 'environment'}: ${issue.message}`)
    }
  }
  const env = result.success ? result.data : undefined
  const isProduction = (source.NODE_ENV ?? 'development') === 'production'
  if (isProduction && !isBuildPhase) problems.push(...missingProductionVariables(source, problems))
  if (problems.length > 0 || !env) throw new InvalidEnvironmentError(problems)

  const {
    SEED_ON_EMPTY,
    REQUIRE_2FA_FOR_ADMINS,
    DATABASE_URL,
    PAYLOAD_SECRET,
    MEDIA_KEY_PREFIX,
    R2_ACCESS_KEY_ID,
    R2_SECRET_ACCESS_KEY,
    R2_BUCKET,
    R2_ENDPOINT,
    R2_PUBLIC_BASE,
    SERVER_URL,
    ...rest
  } = env
  const r2: R2Settings | undefined =
    R2_ACCESS_KEY_ID && R2_SECRET_ACCESS_KEY && R2_BUCKET && R2_ENDPOINT
      ? {
          accessKeyId: R2_ACCESS_KEY_ID,
          secretAccessKey: R2_SECRET_ACCESS_KEY,
          bucket: R2_BUCKET,
          endpoint: R2_ENDPOINT,
          publicBase: R2_PUBLIC_BASE?.replace(/\/+$/, ''),
        }
      : undefined
  return {
    ...rest,
    r2,
    MEDIA_KEY_PREFIX: (MEDIA_KEY_PREFIX ?? 'media').replace(/^\/+|\/+$/g, ''),
    SERVER_URL:
      SERVER_URL?.replace(/\/$/, '') ??
      (isProduction ? undefined : `http://localhost:${rest.PORT}`),
    // Outside production, no configuration means the embedded database and a per-checkout secret.
    // `next build` only bundles: it never connects nor signs, so it gets inert placeholders.
    DATABASE_URL:
      DATABASE_URL ?? (isProduction ? buildPlaceholderDatabaseUrl : getLocalDatabaseUrl()),
    PAYLOAD_SECRET:
      PAYLOAD_SECRET ?? (isProduction ? buildPlaceholderSecret : readOrCreateLocalSecret()),
    isProduction,
    isSeedOnEmpty: SEED_ON_EMPTY ?? env.NODE_ENV === 'development',
    isTwoFactorRequiredForAdmins: REQUIRE_2FA_FOR_ADMINS ?? false,
  }
}

let cachedEnv: AppEnv | undefined

/** The validated environment of this process, parsed once. */
export const getEnv = (): AppEnv => {
  cachedEnv ??= parseEnv({ isBuildPhase: process.env.NEXT_PHASE === 'phase-production-build' })
  return cachedEnv
}
