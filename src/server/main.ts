/**
 * The process entry point for `npm run dev` and `npm start`: validates the environment, makes sure
 * the database exists (starting the embedded one when nothing is configured), then serves Next.js,
 * which hosts the Payload admin, REST and GraphQL, behind our request logging, request ids,
 * metrics and health endpoints.
 */
import fs from 'node:fs'
import path from 'node:path'

import next from 'next'

import { catalogPaths } from '../catalog/catalogPath'
import { startJobRunsReporter } from '../jobs/backup/jobRunsReporter'
import { InvalidEnvironmentError, parseEnv } from '../config/env'
import { routeConsoleToLogger } from './observability/console'
import { getAppLogger } from './observability/logger'
import { getAppMetrics } from './observability/metrics'
import { createReadinessChecks } from './observability/readiness'
import { startStorageReporter } from './observability/storageReporter'
import { getSecurityHeaderSettings } from './security/securityHeaders'
import { createAppServer } from './appServer'
import { startPayloadAtBoot } from './startPayloadAtBoot'
import { closePayloadInstances } from '../database/closePayload'
import { createDrain, inFlightGraceMs, shutdownGracefully } from './gracefulShutdown'
import { loadEnvFiles, projectRoot } from '../config/loadEnvFiles'
import { prepareDatabaseOrExit } from '../database/prepareDatabase'

const isDev = process.argv.includes('--dev')
// Next reads NODE_ENV too; decide it before anything else looks.
const nodeEnv = process.env.NODE_ENV ?? (isDev ? 'development' : 'production')
Object.assign(process.env, {
  NODE_ENV: nodeEnv,
  NEXT_TELEMETRY_DISABLED: process.env.NEXT_TELEMETRY_DISABLED ?? '1',
})
loadEnvFiles()

const fail = (message: string): never => {
  console.error(message)
  process.exit(1)
}

const readVersion = (): string =>
  (
    JSON.parse(fs.readFileSync(path.join(projectRoot, 'package.json'), 'utf8')) as {
      version: string
    }
  ).version

const main = async () => {
  try {
    parseEnv()
  } catch (error) {
    if (error instanceof InvalidEnvironmentError) fail(error.message)
    throw error
  }

  const database = await prepareDatabaseOrExit()
  const env = parseEnv()
  const logger = getAppLogger(env)
  if (env.isProduction) routeConsoleToLogger(logger)

  const app = next({ dev: isDev, dir: projectRoot, hostname: 'localhost', port: env.PORT })
  const handle = app.getRequestHandler()
  await app.prepare()

  const drain = createDrain(createReadinessChecks(env))
  const server = createAppServer({
    env,
    logger,
    readiness: drain.readiness,
    handle,
    version: readVersion(),
    securityHeaders: getSecurityHeaderSettings(env, isDev),
    cachedEndpointPaths: catalogPaths,
  })
  drain.trackConnections(server)
  const stopStorageReporter = startStorageReporter({ env, metrics: getAppMetrics(), logger })
  const jobRunsReporter = startJobRunsReporter({ env, metrics: getAppMetrics(), logger })
  await new Promise<void>((resolve) => server.listen(env.PORT, resolve))
  const baseUrl = `http://localhost:${env.PORT}`
  logger.info({ msg: `catalog-cms listening on ${baseUrl} (admin: ${baseUrl}/admin, ${nodeEnv})` })

  // Starts Payload, hence its job runner and crons, without waiting for a first request.
  void startPayloadAtBoot({ baseUrl, logger })
  if (isDev) {
    // Compile the admin and run Payload's boot tasks (migrations, seed) now, not on first click.
    fetch(`${baseUrl}/admin`)
      .then((response) =>
        logger.info({ msg: `catalog-cms ready: ${baseUrl}/admin answered ${response.status}` }),
      )
      .catch(() => undefined)
  }

  let isShuttingDown = false
  const shutdown = (signal: string) => {
    if (isShuttingDown) return
    isShuttingDown = true
    void shutdownGracefully({
      server,
      logger,
      signal,
      // Process managers stop with SIGTERM (systemd, Kubernetes) or SIGINT (pm2): both drain.
      // Development stops at once: nothing balances its traffic, and a request the developer
      // interrupts need not finish. Its hot-reloading websockets are no requests: never waited for.
      drainMs: isDev ? 0 : env.SHUTDOWN_DRAIN_SECONDS * 1000,
      graceMs: isDev ? 1_000 : inFlightGraceMs,
      drain,
      closeResources: async () => {
        stopStorageReporter()
        await jobRunsReporter.stop()
        await drain.readiness.close()
        await closePayloadInstances()
        await database.stop()
      },
    })
  }
  process.on('SIGINT', () => shutdown('SIGINT'))
  process.on('SIGTERM', () => shutdown('SIGTERM'))
}

main().catch((error: Error) => fail(`catalog-cms failed to start: ${error.message}`))
