import crypto from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { getEnv } from '../../src/config/env'
import { createAppLogger } from '../../src/server/observability/logger'
import {
  createReadinessChecks,
  type ReadinessReport,
} from '../../src/server/observability/readiness'
import { startEmbeddedPostgres } from '../../src/database/embeddedPostgres'
import { startApiServer, type RunningApiServer } from '../helpers/apiServer'
import { serveApiThroughNode } from '../helpers/nodeAdapter'
import { setupEditorSession } from '../helpers/session'
import { getRestartablePort } from '../setup/appServer'
import { startS3Server } from '../setup/s3Server'
import { makeSharedTempDir } from '../setup/testDatabase'

type LogLine = Record<string, unknown>

const requestLogKeys = ['level', 'ts', 'msg', 'reqId', 'route', 'method', 'status', 'ms', 'userId']
const metricsToken = crypto.randomBytes(16).toString('hex')

/** Called, by request id, when a request to the slow route reaches the handler. */
const slowRequestArrivals = new Map<string, () => void>()

const startServer = (readiness: ReturnType<typeof createReadinessChecks>, lines: LogLine[]) => {
  const env = getEnv()
  const logger = createAppLogger(
    { ...env, isProduction: true, LOG_LEVEL: 'info', METRICS_TOKEN: metricsToken },
    { write: (chunk: string) => void lines.push(JSON.parse(chunk) as LogLine) },
  )
  return startApiServer({
    env: { PAYLOAD_SECRET: env.PAYLOAD_SECRET, METRICS_TOKEN: metricsToken },
    logger,
    readiness,
    version: '9.9.9-test',
    handle: async (req, res) => {
      if (req.url === '/api/items/explode') throw new Error('handler exploded')
      if (req.url === '/api/items/slow') {
        slowRequestArrivals.get(String(req.headers['x-request-id']))?.()
        // Answers late enough for the client to give up first.
        await new Promise((resolve) => setTimeout(resolve, 400))
      }
      await serveApiThroughNode(req, res)
    },
  })
}

const waitForLine = async (lines: LogLine[], reqId: string): Promise<LogLine> => {
  for (let attempt = 0; attempt < 50; attempt++) {
    const matching = lines.filter((line) => line.reqId === reqId && line.msg === 'request')
    if (matching.length > 0) {
      expect(matching).toHaveLength(1)
      return matching[0]
    }
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error(`no request log line for ${reqId}`)
}

describe('request logs, request ids and metrics', () => {
  const session = setupEditorSession()
  const lines: LogLine[] = []
  let server: RunningApiServer
  let url: string
  let readiness: ReturnType<typeof createReadinessChecks>

  beforeAll(async () => {
    readiness = createReadinessChecks(getEnv())
    server = await startServer(readiness, lines)
    url = server.url
  })

  afterAll(async () => {
    await server?.close()
    await readiness?.close()
  })

  it('should log one JSON line per request with the route pattern and no query string', async () => {
    const response = await fetch(`${url}/api/items/424242?draft=true&secret=1`)
    expect(response.status).toBe(404)
    const reqId = response.headers.get('x-request-id') as string
    const line = await waitForLine(lines, reqId)
    expect(line).toMatchObject({
      level: 'warn',
      route: '/api/items/:id',
      method: 'GET',
      status: 404,
      msg: 'request',
    })
    expect(typeof line.ms).toBe('number')
    expect(new Date(line.ts as string).toISOString()).toBe(line.ts)
    for (const key of Object.keys(line)) expect(requestLogKeys).toContain(key)
    expect(JSON.stringify(line)).not.toMatch(/424242|draft|secret=/)
  })

  it('should log successful requests at info with the verified user id', async () => {
    const response = await fetch(`${url}/api/users/me`, {
      headers: { Authorization: `JWT ${session.token}` },
    })
    expect(response.status).toBe(200)
    const { user } = (await response.json()) as { user: { id: number } }
    const line = await waitForLine(lines, response.headers.get('x-request-id') as string)
    expect(line).toMatchObject({
      level: 'info',
      route: '/api/users/me',
      status: 200,
      userId: user.id,
    })
  })

  it('should not believe a forged token', async () => {
    const forged = `${session.token.slice(0, -6)}AAAAAA`
    const response = await fetch(`${url}/api/items`, {
      headers: { Authorization: `JWT ${forged}` },
    })
    const line = await waitForLine(lines, response.headers.get('x-request-id') as string)
    expect(line.userId).toBeUndefined()
  })

  it('should log a request whose client went away once, as 499', async () => {
    const reqId = `gone-${crypto.randomUUID()}`
    const arrived = new Promise<void>((resolve) => slowRequestArrivals.set(reqId, resolve))
    const request = http.get(`${url}/api/items/slow`, { headers: { 'X-Request-Id': reqId } })
    request.on('error', () => {})
    await arrived
    request.destroy()
    const line = await waitForLine(lines, reqId)
    expect(line).toMatchObject({ route: '/api/items/:id', method: 'GET', status: 499 })
    // The handler's late answer to the closed socket writes no second line.
    await new Promise((resolve) => setTimeout(resolve, 600))
    expect(lines.filter((entry) => entry.reqId === reqId && entry.msg === 'request')).toHaveLength(
      1,
    )
  })

  it('should log a server error once, with its cause and request id, and answer without a stack', async () => {
    const response = await fetch(`${url}/api/items/explode`)
    expect(response.status).toBe(500)
    const body = await response.text()
    expect(body).not.toMatch(/exploded|at .+:\d+/)
    const reqId = response.headers.get('x-request-id') as string
    const line = await waitForLine(lines, reqId)
    expect(line).toMatchObject({ level: 'warn', status: 500, route: '/api/items/:id' })
    const errorLines = lines.filter((entry) => entry.level === 'error')
    expect(errorLines).toEqual([
      expect.objectContaining({
        reqId,
        err: expect.objectContaining({
          type: 'Error',
          message: 'handler exploded',
          stack: expect.stringMatching(/\n\s+at /),
        }),
      }),
    ])
  })

  it('should keep a well-formed incoming request id end to end, into error bodies', async () => {
    const reqId = `lb-${crypto.randomBytes(6).toString('hex')}`
    const response = await fetch(`${url}/api/items/999999`, { headers: { 'X-Request-Id': reqId } })
    expect(response.headers.get('x-request-id')).toBe(reqId)
    expect(((await response.json()) as { requestId: string }).requestId).toBe(reqId)
    expect((await waitForLine(lines, reqId)).route).toBe('/api/items/:id')
  })

  it('should replace a malformed incoming request id', async () => {
    const response = await fetch(`${url}/api/health`, {
      headers: { 'X-Request-Id': 'bad id with spaces' },
    })
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('should answer HEAD for the cached catalog from memory, with its ETag and no body', async () => {
    const full = await fetch(`${url}/api/catalog`)
    const etag = full.headers.get('etag')
    await full.arrayBuffer()
    const head = await fetch(`${url}/api/catalog`, { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.headers.get('etag')).toBe(etag)
    expect((await head.arrayBuffer()).byteLength).toBe(0)
  })

  it('should answer liveness without touching the database', async () => {
    const response = await fetch(`${url}/api/health`)
    expect(response.status).toBe(200)
    const body = (await response.json()) as { status: string; version: string; uptime: number }
    expect(body).toMatchObject({ status: 'ok', version: '9.9.9-test' })
    expect(typeof body.uptime).toBe('number')
  })

  it('should guard metrics with the bearer token', async () => {
    expect((await fetch(`${url}/api/metrics`)).status).toBe(401)
    expect(
      (await fetch(`${url}/api/metrics`, { headers: { Authorization: 'Bearer wrong' } })).status,
    ).toBe(401)
    expect(
      (await fetch(`${url}/api/metrics`, { headers: { Authorization: `Bearer ${metricsToken}` } }))
        .status,
    ).toBe(200)
  })

  it('should expose Prometheus text in which the request histogram moves', async () => {
    const scrape = async () => {
      const response = await fetch(`${url}/api/metrics`, {
        headers: { Authorization: `Bearer ${metricsToken}` },
      })
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/)
      return response.text()
    }
    const countFor = (text: string) =>
      Number(
        text.match(
          /^http_request_duration_seconds_count\{method="GET",route="\/api\/categories",status_class="2xx"\} (\d+)$/m,
        )?.[1] ?? 0,
      )
    const before = await scrape()
    for (const line of before.split('\n').filter((entry) => entry && !entry.startsWith('#'))) {
      expect(line).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? (-?[0-9.e+-]+|NaN|\+Inf|-Inf)$/i)
    }
    for (let index = 0; index < 3; index++)
      await (await fetch(`${url}/api/categories?limit=1`)).arrayBuffer()
    const after = await scrape()
    expect(countFor(after) - countFor(before)).toBe(3)
    expect(after).toMatch(/^db_pool_connections\{state="total"\} \d+$/m)
    expect(after).toMatch(/^pg_stat_activity_connections\{state="active"\} [1-9]\d*$/m)
    expect(after).toMatch(/^pg_max_connections \d+$/m)
    expect(after).toMatch(/^process_resident_memory_bytes \d+/m)
    expect(after).not.toMatch(/route="\/api\/items\/\d+"/)
  })
})

describe('readiness', () => {
  const lines: LogLine[] = []
  let server: RunningApiServer
  let url: string
  let readiness: ReturnType<typeof createReadinessChecks>
  let database: Awaited<ReturnType<typeof startEmbeddedPostgres>>
  let s3: Awaited<ReturnType<typeof startS3Server>>
  // Made in beforeAll, so a run that filters these tests out leaves no directory behind.
  let dataDir = ''
  const databaseOptions = {
    dataDir: '',
    port: 0,
    user: 'postgres',
    password: crypto.randomBytes(8).toString('hex'),
    database: 'ready',
  }

  const ready = async () => {
    const response = await fetch(`${url}/api/ready`)
    return { status: response.status, body: (await response.json()) as ReadinessReport }
  }

  beforeAll(async () => {
    dataDir = makeSharedTempDir('catalog-ready-')
    databaseOptions.dataDir = path.join(dataDir, 'postgres')
    // Both are stopped and restarted on their ports mid-test.
    databaseOptions.port = await getRestartablePort()
    database = await startEmbeddedPostgres(databaseOptions)
    s3 = await startS3Server(await getRestartablePort())
    readiness = createReadinessChecks(
      {
        DATABASE_URL: database.url,
        MEDIA_DIR: dataDir,
        r2: {
          accessKeyId: s3.env.R2_ACCESS_KEY_ID,
          secretAccessKey: s3.env.R2_SECRET_ACCESS_KEY,
          bucket: s3.bucket,
          endpoint: s3.endpoint,
        },
      },
      { timeoutMs: 1_000 },
    )
    server = await startServer(readiness, lines)
    url = server.url
  })

  afterAll(async () => {
    await server?.close()
    await readiness?.close()
    await s3?.dispose()
    await database?.stop()
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true })
  })

  it('should be ready when the database and the bucket answer, with timings', async () => {
    const { status, body } = await ready()
    expect(status).toBe(200)
    expect(body.status).toBe('ok')
    expect(body.checks.database).toMatchObject({ status: 'ok' })
    expect(body.checks.storage).toMatchObject({ status: 'ok', backend: 'r2' })
    expect(JSON.stringify(body)).not.toContain(databaseOptions.password)
  })

  it('should answer 503 naming the bucket while it is down, and recover', async () => {
    await s3.stop()
    const down = await ready()
    expect(down.status).toBe(503)
    expect(down.body.checks.storage.status).toBe('failing')
    expect(down.body.checks.database.status).toBe('ok')
    await s3.restart()
    expect((await ready()).status).toBe(200)
  })

  it('should answer 503 naming the database while it is down, and recover', async () => {
    await database.stop()
    const down = await ready()
    expect(down.status).toBe(503)
    expect(down.body.checks.database.status).toBe('failing')
    expect(down.body.checks.storage.status).toBe('ok')
    expect(JSON.stringify(down.body)).not.toContain(databaseOptions.password)
    database = await startEmbeddedPostgres(databaseOptions)
    expect((await ready()).status).toBe(200)
  })
})
