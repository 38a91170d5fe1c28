import type http from 'node:http'
import type { AddressInfo } from 'node:net'

import pino from 'pino'
import { afterAll, beforeAll } from 'vitest'

import { getEnv } from '../../src/config/env'
import { createAppMetrics } from '../../src/server/observability/metrics'
import { createReadinessChecks } from '../../src/server/observability/readiness'
import { createAppServer, type CreateAppServerArgs } from '../../src/server/appServer'
import { serveApiThroughNode } from './nodeAdapter'
import { requestRaw, type RawResponse } from './rawHttp'

export type RunningApiServer = {
  server: http.Server
  url: string
  /** Closes the server, its open connections, and the readiness checks it created itself. */
  close: () => Promise<void>
}

/**
 * The app's HTTP server on a free loopback port, in front of the real API route handlers (no
 * Next.js build): production headers, a silent logger and the test database unless told otherwise.
 */
export const startApiServer = async (
  overrides: Partial<CreateAppServerArgs> = {},
): Promise<RunningApiServer> => {
  const env = getEnv()
  const ownReadiness = overrides.readiness ? undefined : createReadinessChecks(env)
  const server = createAppServer({
    env: { PAYLOAD_SECRET: env.PAYLOAD_SECRET },
    logger: pino({ level: 'silent' }),
    metrics: createAppMetrics(),
    version: '0.0.0-test',
    securityHeaders: { isProduction: true, isDevelopment: false, mediaOrigins: [] },
    handle: serveApiThroughNode,
    ...overrides,
    readiness: overrides.readiness ?? (ownReadiness as NonNullable<typeof ownReadiness>),
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
      await ownReadiness?.close()
    },
  }
}

/** What a browser's fetch() sends about encodings. */
export const browserAcceptEncoding = 'gzip, deflate, br, zstd'

export type ApiServerSession = {
  /** The server's base URL; read it inside tests and hooks. */
  readonly url: string
  /** A GET as a browser sends it (its Accept-Encoding unless `headers` says otherwise), raw. */
  read: (path: string, headers?: Record<string, string>) => Promise<RawResponse>
}

/** For one test file: the app server started before its tests and closed after them. */
export const setupApiServer = (overrides: Partial<CreateAppServerArgs> = {}): ApiServerSession => {
  let server: RunningApiServer | undefined
  beforeAll(async () => {
    server = await startApiServer(overrides)
  })
  afterAll(async () => {
    await server?.close()
  })
  const urlOf = () => {
    if (!server) throw new Error('The API server starts in beforeAll: use it inside tests.')
    return server.url
  }
  return {
    get url() {
      return urlOf()
    },
    read: (path, headers = {}) =>
      requestRaw(`${urlOf()}${path}`, {
        headers: { 'Accept-Encoding': browserAcceptEncoding, ...headers },
      }),
  }
}
