import pg from 'pg'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'

import { getFreePort, replicaEnv, startApp, type RunningApp } from '../setup/appServer'
import '../setup/providedContext'

const context = inject('testContext')
const mutations = 100
let replicas: RunningApp[] = []
let token: string
let categoryId: number

const catalogText = async (url: string) => (await fetch(`${url}/api/catalog`)).text()

/** Polls a replica's catalog until it contains the marker; resolves with the milliseconds it took. */
const waitForMarker = async (url: string, marker: string, startedAt: number, timeoutMs = 5_000) => {
  for (;;) {
    if ((await catalogText(url)).includes(marker)) return performance.now() - startedAt
    if (performance.now() - startedAt > timeoutMs) throw new Error(`${url} never served ${marker}`)
    await new Promise((resolve) => setTimeout(resolve, 2))
  }
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]

beforeAll(async () => {
  replicas = await Promise.all(
    [1, 2].map(async () => startApp({ env: replicaEnv(context), port: await getFreePort() })),
  )
  const login = await fetch(`${context.appUrl}/api/users/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: context.adminEmail, password: context.adminPassword }),
  })
  ;({ token } = (await login.json()) as { token: string })
  const created = await fetch(`${context.appUrl}/api/categories`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `JWT ${token}` },
    body: JSON.stringify({
      name: 'Replicated category',
      description: 'start',
      _status: 'published',
    }),
  })
  categoryId = ((await created.json()) as { doc: { id: number } }).doc.id
  for (const replica of replicas)
    await waitForMarker(replica.url, 'Replicated category', performance.now())
})

afterAll(async () => {
  await Promise.all(replicas.map((replica) => replica.stop()))
})

const mutate = async (description: string) => {
  const response = await fetch(`${context.appUrl}/api/categories/${categoryId}`, {
    method: 'PATCH',
    headers: { 'Content-Type': 'application/json', Authorization: `JWT ${token}` },
    body: JSON.stringify({ description }),
  })
  expect(response.status).toBe(200)
  await response.arrayBuffer()
}

describe('three replicas on one database', () => {
  it(`should show a change made through one replica on the others, over ${mutations} mutations`, async () => {
    const latencies: number[] = []
    for (let index = 1; index <= mutations; index++) {
      const marker = `replicated-change-${index}-${Date.now()}`
      const startedAt = performance.now()
      await mutate(marker)
      latencies.push(
        ...(await Promise.all(
          replicas.map((replica) => waitForMarker(replica.url, marker, startedAt)),
        )),
      )
    }
    const sorted = [...latencies].sort((a, b) => a - b)
    const report = {
      mutations,
      observations: sorted.length,
      p50Ms: Math.round(percentile(sorted, 50) * 10) / 10,
      p99Ms: Math.round(percentile(sorted, 99) * 10) / 10,
      maxMs: Math.round(sorted[sorted.length - 1] * 10) / 10,
    }
    console.log(
      `cross-replica invalidation (PATCH sent → other replica serves it): ${JSON.stringify(report)}`,
    )
    // The target is p99 ≤ 100 ms (measured by npm run bench); the test only guards against breakage.
    expect(report.p99Ms).toBeLessThan(2_000)
  })

  it('should recover when a replica loses its notification connection', async () => {
    const [target] = replicas
    const client = new pg.Client({ connectionString: context.databaseUrl })
    await client.connect()
    try {
      const { rowCount } = await client.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
        [`payload-ops-listener-${target.pid}`],
      )
      expect(rowCount).toBe(1)
      // Changed while the replica may still be reconnecting: the notification can be lost.
      const marker = `after-reconnect-${Date.now()}`
      const startedAt = performance.now()
      await mutate(marker)
      expect(await waitForMarker(target.url, marker, startedAt)).toBeLessThan(5_000)
      const { rows } = await client.query(
        'SELECT count(*)::int AS count FROM pg_stat_activity WHERE application_name = $1',
        [`payload-ops-listener-${target.pid}`],
      )
      expect(rows[0].count).toBe(1)
    } finally {
      await client.end()
    }
  })

  it('should serve the catalog from memory on a warm replica, with ETag and 304', async () => {
    const [target] = replicas
    const first = await fetch(`${target.url}/api/catalog`, { headers: { 'Accept-Encoding': 'br' } })
    expect(first.headers.get('content-encoding')).toBe('br')
    const etag = first.headers.get('etag') as string
    await first.arrayBuffer()
    // As a browser revalidates: the same Accept-Encoding, so the same representation (br, gzip
    // and identity bytes each have their own ETag).
    const revalidated = await fetch(`${target.url}/api/catalog`, {
      headers: { 'Accept-Encoding': 'br', 'If-None-Match': etag },
    })
    expect(revalidated.status).toBe(304)
  })
})
