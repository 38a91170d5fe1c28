import crypto from 'node:crypto'

import type { Payload } from 'payload'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { collectionSlugs } from '../../collections/slugs'
import type { Category } from '../../payload-types'
import { databaseOutageEvents } from '../../src/database/outageMonitor'
import { databaseUnavailableMessage } from '../../src/database/unavailable'
import type { ReadinessReport } from '../../src/server/observability/readiness'
import { dropDatabase, ensureDatabaseExists } from '../../src/database/createDatabase'
import { captureAppLogs, requestLine, type CapturedLogs } from '../helpers/capturedLogs'
import type { RunningApiServer } from '../helpers/apiServer'
import { startTcpProxy, type TcpProxy } from '../helpers/tcpProxy'
import { getRestartablePort } from '../setup/appServer'

/**
 * This file's app reaches a database of its own on the test server through a TCP proxy. An outage
 * is made of real parts, without stopping the server everyone else uses: the proxy stops (new
 * connections are refused) and the server terminates the database's sessions (57P01, what a
 * restart or a failover sends). The app modules are imported only after DATABASE_URL points at the
 * proxy, because the config reads the environment when it loads.
 */
const serverUrl = new URL(process.env.DATABASE_URL as string)
const databaseName = `${serverUrl.pathname.slice(1)}_outage`
const directUrl = Object.assign(new URL(serverUrl), { pathname: `/${databaseName}` }).toString()

let proxy: TcpProxy
let logs: CapturedLogs
let payload: Payload
let server: RunningApiServer
let closeReadiness: () => Promise<void>
let closePayload: (payload: Payload) => Promise<void>
let url: string
let token: string
let category: Category

const terminateSessions = async () => {
  const admin = new pg.Client({ connectionString: serverUrl.toString() })
  await admin.connect()
  try {
    await admin.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
      [databaseName],
    )
  } finally {
    await admin.end()
  }
}

/** New connections are refused; the server ends the open sessions as a restart would (57P01). */
const takeDatabaseDown = async () => {
  proxy.refuseNew()
  await terminateSessions()
  // The clients read the server's goodbye before their sockets close.
  for (let attempt = 0; attempt < 40 && proxy.openConnections() > 0; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  await proxy.stop()
}

beforeAll(async () => {
  await ensureDatabaseExists(directUrl)
  proxy = await startTcpProxy({
    port: await getRestartablePort(),
    target: { host: serverUrl.hostname, port: Number(serverUrl.port || 5432) },
  })
  const proxiedUrl = new URL(directUrl)
  proxiedUrl.hostname = '127.0.0.1'
  proxiedUrl.port = String(proxy.port)
  process.env.DATABASE_URL = proxiedUrl.toString()
  logs = captureAppLogs()

  const [payloadHelpers, httpHelpers, serverHelpers, envModule, readinessModule] =
    await Promise.all([
      import('../helpers/payload'),
      import('../helpers/http'),
      import('../helpers/apiServer'),
      import('../../src/config/env'),
      import('../../src/server/observability/readiness'),
    ])
  closePayload = payloadHelpers.closePayload
  payload = await payloadHelpers.initPayload()
  const editor = await payloadHelpers.createUser({ payload, role: 'editor' })
  token = await httpHelpers.loginToken(editor.email, payloadHelpers.testPassword)
  category = await payload.create({
    collection: collectionSlugs.categories,
    data: { name: `Outage shelf ${crypto.randomBytes(3).toString('hex')}`, _status: 'published' },
    overrideAccess: true,
  })
  const readiness = readinessModule.createReadinessChecks(envModule.getEnv(), { timeoutMs: 1_000 })
  closeReadiness = readiness.close
  server = await serverHelpers.startApiServer({ logger: logs.logger, readiness })
  url = server.url
})

afterAll(async () => {
  await server?.close()
  await closeReadiness?.()
  if (payload) await closePayload(payload)
  await proxy?.stop()
  await dropDatabase(directUrl)
})

const jsonHeaders = (extra: Record<string, string> = {}) => ({
  'Content-Type': 'application/json',
  ...extra,
})

const itemData = (name: string) => ({
  name,
  price: 1250,
  category: category.id,
  _status: 'published',
})

const createItem = (name: string) =>
  fetch(`${url}/api/items`, {
    method: 'POST',
    headers: jsonHeaders({ Authorization: `JWT ${token}` }),
    body: JSON.stringify(itemData(name)),
  })

const graphql = (query: string, headers: Record<string, string> = {}) =>
  fetch(`${url}/api/graphql`, {
    method: 'POST',
    headers: jsonHeaders(headers),
    body: JSON.stringify({ query }),
  })

const countItemsNamed = async (name: string) =>
  (
    await payload.count({
      collection: collectionSlugs.items,
      where: { name: { equals: name } },
      overrideAccess: true,
    })
  ).totalDocs

describe('while the database is unreachable', () => {
  let outageMark = 0
  let existingItemId: number
  const answers: { what: string; response: Response; body: string }[] = []

  beforeAll(async () => {
    const existing = await createItem('Outage existing item')
    expect(existing.status).toBe(201)
    existingItemId = ((await existing.json()) as { doc: { id: number } }).doc.id
    // The catalog is in memory before the outage, as on a replica that has been serving.
    expect((await fetch(`${url}/api/catalog`)).status).toBe(200)

    outageMark = logs.mark()
    await takeDatabaseDown()

    const auth = { Authorization: `JWT ${token}` }
    // The admin signs in with a cookie; frontends and scripts with the header.
    const cookie = { Cookie: `payload-token=${token}` }
    const requests: [string, () => Promise<Response>][] = [
      // Writes under load: what the replica saw in production.
      ...Array.from({ length: 12 }, (_, index): [string, () => Promise<Response>] => [
        `create #${index}`,
        () => createItem('Written during the outage'),
      ]),
      [
        'update',
        () =>
          fetch(`${url}/api/items/${existingItemId}`, {
            method: 'PATCH',
            headers: jsonHeaders(auth),
            body: JSON.stringify({ price: 99 }),
          }),
      ],
      [
        'delete',
        () => fetch(`${url}/api/items/${existingItemId}`, { method: 'DELETE', headers: auth }),
      ],
      ['anonymous list', () => fetch(`${url}/api/items?limit=5`)],
      ['read by id', () => fetch(`${url}/api/items/${existingItemId}`, { headers: auth })],
      ['admin list', () => fetch(`${url}/api/categories?depth=0&limit=10`, { headers: cookie })],
      ['admin session', () => fetch(`${url}/api/users/me`, { headers: cookie })],
      [
        'login',
        () =>
          fetch(`${url}/api/users/login`, {
            method: 'POST',
            headers: jsonHeaders(),
            body: JSON.stringify({ email: 'someone@example.test', password: 'not-the-password' }),
          }),
      ],
      [
        'two-factor setup',
        () => fetch(`${url}/api/users/2fa/setup`, { method: 'POST', headers: jsonHeaders(auth) }),
      ],
      ['GraphQL query', () => graphql('{ Items(limit: 3) { docs { id name } } }')],
      [
        'GraphQL mutation',
        () =>
          graphql(
            `mutation { createItem(data: { name: "GraphQL during the outage", price: 100, category: ${category.id} }) { id } }`,
            auth,
          ),
      ],
    ]
    for (const [what, send] of requests) {
      const response = await send()
      answers.push({ what, response, body: await response.text() })
    }
  })

  it('should answer every API request that needs it 503 with Retry-After, never 500', () => {
    expect(answers.filter(({ response }) => response.status === 500)).toEqual([])
    for (const { what, response, body } of answers) {
      expect({ what, status: response.status }).toEqual({ what, status: 503 })
      expect(Number(response.headers.get('retry-after')), what).toBeGreaterThanOrEqual(1)
      expect(Number(response.headers.get('retry-after')), what).toBeLessThanOrEqual(10)
      const parsed = JSON.parse(body) as { errors: { message: string }[] }
      expect(parsed.errors[0].message, what).toBe(databaseUnavailableMessage)
    }
  })

  it('should leak no connection detail in the answers', () => {
    for (const { what, body } of answers) {
      expect(body, what).not.toMatch(
        /127\.0\.0\.1|localhost|ECONN|57P01|postgres|terminat|\bat .+:\d+|stack/i,
      )
      expect(body, what).not.toContain(String(proxy.port))
    }
  })

  it('should keep serving the catalog from memory', async () => {
    const response = await fetch(`${url}/api/catalog`)
    expect(response.status).toBe(200)
    expect((await response.json()) as object).toBeTruthy()
  })

  it('should be not ready, yet alive', async () => {
    const ready = await fetch(`${url}/api/ready`)
    expect(ready.status).toBe(503)
    const report = (await ready.json()) as ReadinessReport
    expect(report.checks.database.status).toBe('failing')
    expect((await fetch(`${url}/api/health`)).status).toBe(200)
  })

  it('should log request lines for the 503s at warn, not as errors', async () => {
    const { response } = answers[0]
    const line = await requestLine(logs, response.headers.get('x-request-id') as string)
    expect(line).toMatchObject({ level: 'warn', status: 503 })
  })

  describe('once it is back', () => {
    beforeAll(async () => {
      await proxy.start()
    })

    it('should be ready again and accept writes', async () => {
      let ready = 0
      for (let attempt = 0; attempt < 50 && ready !== 200; attempt++) {
        ready = (await fetch(`${url}/api/ready`)).status
        if (ready !== 200) await new Promise((resolve) => setTimeout(resolve, 100))
      }
      expect(ready).toBe(200)
      const written = await createItem('Written after the outage')
      expect(written.status).toBe(201)
      expect(await countItemsNamed('Written after the outage')).toBe(1)
    })

    it('should have written nothing it answered 503 to', async () => {
      expect(await countItemsNamed('Written during the outage')).toBe(0)
      expect(await countItemsNamed('GraphQL during the outage')).toBe(0)
      const existing = await payload.findByID({
        collection: collectionSlugs.items,
        id: existingItemId,
        overrideAccess: true,
      })
      expect(existing.price).toBe(1250)
    })

    it('should have logged the outage once: its cause at error, its end at info', async () => {
      await logs.waitFor(
        (line) => line.event === databaseOutageEvents.ended,
        'saying the database is back',
      )
      const outageLines = logs.since(outageMark)
      const errorLines = outageLines.filter((line) => line.level === 'error')
      expect(errorLines).toHaveLength(1)
      const [started] = errorLines
      expect(started.event).toBe(databaseOutageEvents.started)
      expect(started.err?.message).toMatch(/terminating connection|ECONNREFUSED|terminated/)
      expect(started.err?.stack).toMatch(/\n\s+at /)
      expect(outageLines.filter((line) => line.event === databaseOutageEvents.ended)).toEqual([
        expect.objectContaining({ level: 'info', outageSeconds: expect.any(Number) }),
      ])
      // Nothing else about it above info either: no warning per request or per reconnection.
      expect(outageLines.filter((line) => line.level === 'warn' && line.msg !== 'request')).toEqual(
        [],
      )
    })
  })
})
