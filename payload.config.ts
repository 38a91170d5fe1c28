import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { postgresAdapter } from '@payloadcms/db-postgres'
import { lexicalEditor } from '@payloadcms/richtext-lexical'
import { buildConfig } from 'payload'
import sharp from 'sharp'

import { Categories } from './collections/Categories'
import { Items } from './collections/Items'
import { Media } from './collections/Media'
import { SiteSettings } from './collections/SiteSettings'
import { Users } from './collections/Users'
import { opsPlugin } from './plugins/ops'
import { requestBodyGuardPlugin } from './plugins/requestBodyGuard'
import { twoFactorPlugin } from './src/auth/twoFactor/plugin'
import { getOnInit } from './src/bootstrap/onInit'
import { getEnv } from './src/env'
import { databaseInputAfterErrorHook } from './src/errors/databaseInputError'
import { keepPublicErrorData } from './src/errors/keepPublicErrorData'
import { malformedRequestAfterErrorHook } from './src/errors/malformedRequest'
import { requestIdAfterErrorHook } from './src/errors/requestIdInErrors'
import { getAppLogger } from './src/observability/logger'
import { getOpsPluginOptions } from './src/ops/opsPluginOptions'
import { graphQLLimits } from './src/security/graphqlLimits'
import { getLoginRateLimiter, loginRateLimitPlugin } from './src/security/loginRateLimits'
import { mediaStoragePlugin } from './src/storage/mediaStorage'

const dirname = path.dirname(fileURLToPath(import.meta.url))
const env = getEnv()

export default buildConfig({
  admin: {
    user: Users.slug,
    importMap: {
      baseDir: dirname,
      importMapFile: path.resolve(dirname, 'src/app/(payload)/admin/importMap.js'),
    },
    meta: { titleSuffix: ' · catalog-cms' },
    // No Gravatar: the admin should not send editors' email hashes to a third party.
    avatar: 'default',
  },
  collections: [Users, Categories, Items, Media],
  globals: [SiteSettings],
  editor: lexicalEditor(),
  graphQL: graphQLLimits,
  secret: env.PAYLOAD_SECRET,
  db: postgresAdapter({
    pool: { connectionString: env.DATABASE_URL },
    // Schema comes only from the committed migrations, in every environment.
    push: false,
    migrationDir: path.resolve(dirname, 'migrations'),
    // Reads outside transactions go to a replica; writes, and this process's reads for 2 s after
    // its own writes, stay on the primary.
    readReplicas: env.DATABASE_REPLICA_URLS.length > 0 ? env.DATABASE_REPLICA_URLS : undefined,
  }),
  sharp,
  plugins: [
    mediaStoragePlugin(env),
    opsPlugin(getOpsPluginOptions(env)),
    loginRateLimitPlugin(getLoginRateLimiter(env)),
    // After the rate limits: its checks go first, so a malformed sign-in is refused before it counts.
    requestBodyGuardPlugin(),
    // Last: its REQUIRE_2FA_FOR_ADMINS gate must cover the collections the other plugins add.
    twoFactorPlugin({ isRequiredForAdmins: env.isTwoFactorRequiredForAdmins }),
  ],
  // Multipart uploads over the limit are cut off while streaming and answered with a 413.
  upload: {
    limits: { fileSize: env.MEDIA_MAX_BYTES },
    responseOnLimit: `The file is larger than the ${Math.round(env.MEDIA_MAX_BYTES / 1024 / 1024)} MB upload limit.`,
  },
  // Browsers on these origins may call the API (CORS headers). Signed-in (cookie) requests from any
  // other origin than these and the app's own are refused by the request validation in front of
  // the REST and GraphQL routes: Payload's `csrf` list cannot name the app's own origin without a
  // fixed serverURL, so it stays empty (see docs/SECURITY.md, "CORS / CSRF").
  cors: env.CORS_ORIGINS,
  typescript: {
    outputFile: path.resolve(dirname, 'payload-types.ts'),
    // Outside production Payload regenerates the types in the background on every init. Only the
    // dev server (`npm run dev`) wants that: in scripts and tests the background import raced the
    // scripts' own imports and left them waiting forever (exit code 13), and it rewrote a tracked
    // file mid-run. `npm run generate:types` and the CI check cover the rest.
    autoGenerate: process.argv.includes('--dev'),
  },
  logger: getAppLogger(env),
  hooks: {
    afterError: [
      malformedRequestAfterErrorHook,
      databaseInputAfterErrorHook,
      keepPublicErrorData,
      requestIdAfterErrorHook,
    ],
  },
  onInit: getOnInit(env),
  telemetry: false,
})
