import crypto from 'node:crypto'
import http from 'node:http'

import pg from 'pg'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'

import { collectionSlugs } from '../../collections/slugs'
import { startNginx, type RunningNginx } from '../helpers/nginx'
import { getRestartablePort, replicaEnv, startApp, type RunningApp } from '../setup/appServer'
import '../setup/providedContext'

const context = inject('testContext')
const runId = crypto.randomBytes(4).toString('hex')

type Replica = { port: number; app: RunningApp }
type Outcome = { status: number; body: string }

const rollingReplicaEnv = () =>
  replicaEnv(context, {
    // nginx is the one proxy in front.
    TRUST_PROXY: '1',
    // Serves a moment after SIGTERM, for requests nginx's old workers still send it after the
    // reload, and long enough to watch /api/ready turn 503.
    SHUTDOWN_DRAIN_SECONDS: '1',
  })

/**
 * One request on a connection of its own. The clients here do not reuse connections to nginx:
 * a reload closes idle client keep-alive connections, and a POST sent on one at that moment
 * would fail on the client side — a matter between client and nginx, not what this test is about.
 */
const send = (
  baseUrl: string,
  method: string,
  path: string,
  { token, body }: { token?: string; body?: unknown } = {},
): Promise<Outcome> =>
  new Promise((resolve) => {
    const payload = body === undefined ? undefined : JSON.stringify(body)
    const request = http.request(
      `${baseUrl}${path}`,
      {
        method,
        agent: false,
        headers: {
          ...(token ? { Authorization: `JWT ${token}` } : {}),
          ...(payload ? { 'Content-Type': 'application/json' } : {}),
        },
      },
      (response) => {
        let text = ''
        response.setEncoding('utf8')
        response.on('data', (chunk: string) => (text += chunk))
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }))
        response.on('error', (error) => resolve({ status: 0, body: error.message }))
      },
    )
    // A network error is a failed request like any other: status 0.
    request.on('error', (error) => resolve({ status: 0, body: error.message }))
    request.end(payload)
  })

const waitUntilReady = async (baseUrl: string) => {
  const deadline = Date.now() + 60_000
  while ((await send(baseUrl, 'GET', '/api/ready')).status !== 200) {
    if (Date.now() > deadline) throw new Error(`${baseUrl} never became ready`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

type Failure = { method: string; path: string; status: number; body: string }

/** Readers and a writer that loop through nginx until stopped, recording every outcome. */
const startTraffic = ({
  baseUrl,
  token,
  categoryId,
}: {
  baseUrl: string
  token: string
  categoryId: number
}) => {
  let isRunning = true
  let requests = 0
  const failures: Failure[] = []
  /** Names of items whose create was answered 2xx: each must exist afterwards. */
  const acknowledgedWrites: string[] = []
  let writeAttempts = 0

  const record = (method: string, path: string, outcome: Outcome) => {
    requests++
    if (outcome.status < 200 || outcome.status >= 300)
      failures.push({ method, path, status: outcome.status, body: outcome.body.slice(0, 300) })
    return outcome.status >= 200 && outcome.status < 300
  }

  const reader = async (path: string) => {
    while (isRunning) record('GET', path, await send(baseUrl, 'GET', path))
  }
  const writer = async () => {
    while (isRunning) {
      const name = `rolling-${runId}-${++writeAttempts}`
      const outcome = await send(baseUrl, 'POST', `/api/${collectionSlugs.items}`, {
        token,
        body: { name, price: 100, category: categoryId, _status: 'published' },
      })
      if (record('POST', `/api/${collectionSlugs.items}`, outcome)) acknowledgedWrites.push(name)
    }
  }
  const loops = [
    reader('/api/catalog'),
    reader(`/api/${collectionSlugs.items}?limit=5&depth=0`),
    writer(),
  ]
  return {
    requests: () => requests,
    stop: async () => {
      isRunning = false
      await Promise.all(loops)
      return { requests, failures, acknowledgedWrites, writeAttempts }
    },
  }
}

const waitForMoreRequests = async (traffic: { requests: () => number }, count: number) => {
  const target = traffic.requests() + count
  while (traffic.requests() < target) await new Promise((resolve) => setTimeout(resolve, 50))
}

let replicas: Replica[] = []
let nginx: RunningNginx

beforeAll(async () => {
  const ports = [await getRestartablePort(), await getRestartablePort()]
  replicas = await Promise.all(
    ports.map(async (port) => ({ port, app: await startApp({ env: rollingReplicaEnv(), port }) })),
  )
  nginx = await startNginx(ports.map((port) => ({ port })))
}, 300_000)

afterAll(async () => {
  await nginx?.stop()
  await Promise.all(replicas.map((replica) => replica.app.stop()))
})

describe('a rolling restart of two replicas behind nginx', () => {
  it('should fail no request and lose no write while each replica restarts in turn', async () => {
    const login = await send(nginx.url, 'POST', '/api/users/login', {
      body: { email: context.adminEmail, password: context.adminPassword },
    })
    expect(login.status).toBe(200)
    const { token } = JSON.parse(login.body) as { token: string }
    const category = await send(nginx.url, 'POST', `/api/${collectionSlugs.categories}`, {
      token,
      body: { name: `Rolling ${runId}`, _status: 'published' },
    })
    expect(category.status).toBe(201)
    const categoryId = (JSON.parse(category.body) as { doc: { id: number } }).doc.id

    const traffic = startTraffic({ baseUrl: nginx.url, token, categoryId })
    await waitForMoreRequests(traffic, 30)
    const servedWhileRestarting: number[] = []
    let sawNotReadyWhileDraining = 0
    /** Requests the stopping replica still answered after its SIGTERM, per replica. */
    const finishedAfterSigterm: number[] = []
    for (const replica of replicas) {
      const others = replicas.filter((other) => other !== replica)
      // 1. Out of the balancer: new nginx workers send it nothing; old ones may still be
      // proxying requests they had accepted, which the replica must see through.
      await nginx.setUpstreams([{ port: replica.port, isDown: true }, ...others])
      const before = traffic.requests()
      // 2. SIGTERM at once; it turns not-ready, finishes what it has, closes its pools, exits 0.
      const stoppedAt = Date.now()
      const exited = replica.app.stop()
      const replicaUrl = `http://127.0.0.1:${replica.port}`
      for (;;) {
        const probe = await send(replicaUrl, 'GET', '/api/ready')
        if (probe.status === 503 && probe.body.includes('shutting down')) sawNotReadyWhileDraining++
        if (probe.status === 503 || probe.status === 0) break
        await new Promise((resolve) => setTimeout(resolve, 20))
      }
      expect(await exited).toBe(0)
      finishedAfterSigterm.push(
        nginx
          .accessLog()
          .map((line) => line.split(' '))
          .filter(([msec]) => Number(msec) * 1000 >= stoppedAt)
          .filter(([, , upstream]) => upstream.includes(`127.0.0.1:${replica.port}`)).length,
      )
      // 3. Start it again and wait until it is ready, then 4. back into the balancer.
      replica.app = await startApp({ env: rollingReplicaEnv(), port: replica.port })
      await waitUntilReady(replicaUrl)
      servedWhileRestarting.push(traffic.requests() - before)
      await nginx.setUpstreams(replicas.map(({ port }) => ({ port })))
      await waitForMoreRequests(traffic, 30)
    }
    const { requests, failures, acknowledgedWrites, writeAttempts } = await traffic.stop()

    const client = new pg.Client({ connectionString: context.databaseUrl })
    await client.connect()
    const { rows } = await client
      .query<{ name: string }>('SELECT name FROM items WHERE name LIKE $1', [`rolling-${runId}-%`])
      .finally(() => client.end())
    const stored = new Set(rows.map((row) => row.name))
    const lostWrites = acknowledgedWrites.filter((name) => !stored.has(name))
    const upstreamCounts = Object.fromEntries(
      replicas.map(({ port }) => [
        port,
        nginx.accessLog().filter((line) => line.includes(`127.0.0.1:${port}`)).length,
      ]),
    )
    console.log(
      `rolling restart: ${requests} requests (${writeAttempts} writes, ${acknowledgedWrites.length} acknowledged, ${stored.size} stored), ` +
        `${failures.length} failed, ${lostWrites.length} lost; served during each restart: ${servedWhileRestarting.join(', ')}; ` +
        `answered by the stopping replica after its SIGTERM: ${finishedAfterSigterm.join(', ')}; ` +
        `per replica (nginx log): ${JSON.stringify(upstreamCounts)}`,
    )

    expect(failures).toEqual([])
    expect(lostWrites).toEqual([])
    expect(stored.size).toBe(acknowledgedWrites.length)
    expect(acknowledgedWrites.length).toBeGreaterThan(0)
    // The traffic really ran through both restarts, and both replicas served it.
    for (const served of servedWhileRestarting) expect(served).toBeGreaterThan(0)
    for (const count of Object.values(upstreamCounts)) expect(count).toBeGreaterThan(0)
    expect(sawNotReadyWhileDraining).toBe(replicas.length)
  }, 600_000)
})
