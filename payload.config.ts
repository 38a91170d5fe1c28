import path from 'node:path'
import { fileURLToPath } from 'node:url'

import { postgresAdapter } from '@payloadcms/db-postgres'
import { buildConfig } from 'payload'

import { Categories } from './collections/Categories'
import { Items } from './collections/Items'
import { Media } from './collections/Media'
import { getPixelLimitedSharp } from './collections/Media/utilities/pixelLimitedSharp'
import { SiteSettings } from './collections/SiteSettings'
import { Users } from './collections/Users'
import { auditLogPlugin } from './plugins/auditLog'
import { cdnPurgePlugin } from './plugins/cdnPurge'
import { graphQLDocumentBudgetPlugin } from './plugins/graphqlDocumentBudget'
import { loginRateLimitPlugin } from './plugins/loginRateLimit'
import { mediaStoragePlugin } from './plugins/mediaStorage'
import { publicQueriesPlugin } from './plugins/publicQueries'
import { requestBodyGuardPlugin } from './plugins/requestBodyGuard'
import { responseCachePlugin } from './plugins/responseCache'
import { signInTimingPlugin } from './plugins/signInTiming'
import { twoFactorPlugin } from './plugins/twoFactor'
import { getCatalogCacheOptions } from './src/catalog/catalogCacheOptions'
import { catalogCategoryEndpoints } from './src/catalog/categoryCatalogEndpoints'
import { getAuditLogOptions } from './src/config/auditLogOptions'
import { catalogImportExportPlugin } from './src/config/editorial/importExport'
import { getEditorialJobsConfig } from './src/config/editorial/jobs'
import { getCdnPurgeOptions } from './src/config/cdnPurgeOptions'
import { getEnv } from './src/config/env'
import { databaseInputAfterErrorHook } from './src/config/errors/databaseInputError'
import { databaseUnavailableAfterErrorHook } from './src/config/errors/databaseUnavailable'
import { keepPublicErrorData } from './src/config/errors/keepPublicErrorData'
import { refusalLoggingLevels } from './src/config/errors/loggingLevels'
import { malformedRequestAfterErrorHook } from './src/config/errors/malformedRequest'
import { requestIdAfterErrorHook } from './src/config/errors/requestIdInErrors'
import { graphQLLimits, graphQLMaxDocuments } from './src/config/graphql/graphqlLimits'
import { closeJobStatsGlobal } from './src/config/jobStatsAccess'
import { getLoginRateLimitOptions } from './src/config/loginRateLimitOptions'
import {
  editorialFileStoragePlugins,
  getMediaStorageOptions,
} from './src/config/mediaStorageOptions'
import { getOnInit } from './src/config/onInit'
import { guardedLexicalEditor } from './src/config/richText/editor'
import { getTwoFactorPluginOptions } from './src/config/twoFactorOptions'
import { catalogLivePreview } from './src/preview/livePreview'
import { databaseFailureRecordingClient } from './src/database/failureScope'
import { addParentIndexes } from './src/database/parentIndexes'
import { getAppLogger } from './src/server/observability/logger'
import { findWhereArgumentProblem } from './src/server/requestValidation/where'

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
    // Items and categories open the public page with drafts beside the form (src/preview).
    livePreview: catalogLivePreview,
  },
  collections: [Users, Categories, Items, Media],
  globals: [SiteSettings],
  endpoints: catalogCategoryEndpoints,
  // Scheduled publishing over the API, and this replica's job runner (JOBS_AUTORUN).
  jobs: getEditorialJobsConfig({ isRunnerEnabled: env.JOBS_AUTORUN }),
  editor: guardedLexicalEditor(),
  graphQL: graphQLLimits,
  secret: env.PAYLOAD_SECRET,
  db: postgresAdapter({
    pool: {
      connectionString: env.DATABASE_URL,
      // A connection that fails is noted for the request that asked for it (see failureScope.ts).
      Client: databaseFailureRecordingClient,
      // pg waits for a connection forever by default: an unreachable server would hold every
      // request for minutes instead of answering 503.
      connectionTimeoutMillis: 10_000,
    },
    // Schema comes only from the committed migrations, in every environment.
    push: false,
    migrationDir: path.resolve(dirname, 'migrations'),
    // Reads outside transactions go to a replica; writes, and this process's reads for 2 s after
    // its own writes, stay on the primary.
    readReplicas: env.DATABASE_REPLICA_URLS.length > 0 ? env.DATABASE_REPLICA_URLS : undefined,
    afterSchemaInit: [addParentIndexes],
  }),
  // Payload's sizes, crops and focal points decode nothing over MEDIA_MAX_PIXELS either.
  sharp: getPixelLimitedSharp({ maxPixels: env.MEDIA_MAX_PIXELS }),
  plugins: [
    // Before the storage plugins: it adds the `exports` and `imports` upload collections they store.
    catalogImportExportPlugin(),
    mediaStoragePlugin(getMediaStorageOptions(env)),
    ...editorialFileStoragePlugins(env),
    auditLogPlugin(getAuditLogOptions(env)),
    responseCachePlugin(getCatalogCacheOptions(env)),
    // Purges the CDN or Varnish in front when the response cache says so, once per change.
    cdnPurgePlugin(getCdnPurgeOptions(env)),
    loginRateLimitPlugin(getLoginRateLimitOptions(env)),
    // Sign-in answers take as long for unknown emails as for accounts (rate-limit refusals: at once).
    signInTimingPlugin(),
    // After the rate limits: its checks go first, so a malformed sign-in is refused before it counts.
    requestBodyGuardPlugin(),
    // Drafts, sorts and a statement timeout for anonymous readers; its hooks go after the others'.
    publicQueriesPlugin({
      statementTimeoutMs: env.PUBLIC_QUERY_TIMEOUT_MS,
      // GraphQL's `where` arguments get the size limits of the REST query string.
      checkWhere: findWhereArgumentProblem,
    }),
    // Counts the documents each GraphQL request reads, against the limit its estimate is held to.
    graphQLDocumentBudgetPlugin({ maxDocuments: graphQLMaxDocuments }),
    // Last: its REQUIRE_2FA_FOR_ADMINS gate must cover the collections the other plugins add.
    twoFactorPlugin(getTwoFactorPluginOptions(env)),
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
  loggingLevels: refusalLoggingLevels,
  hooks: {
    afterError: [
      malformedRequestAfterErrorHook,
      databaseInputAfterErrorHook,
      databaseUnavailableAfterErrorHook,
      keepPublicErrorData,
      requestIdAfterErrorHook,
    ],
  },
  onInit: getOnInit(env),
  telemetry: false,
}).then(closeJobStatsGlobal)
