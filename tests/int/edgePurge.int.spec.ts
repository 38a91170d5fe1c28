import crypto from 'node:crypto'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { collectionSlugs, globalSlugs } from '../../collections/slugs'
import { createCdnPurger, useCdnPurger, type CdnPurgeEvent } from '../../plugins/cdnPurge'
import { startReplicaProcess, type ReplicaProcess } from '../helpers/apiReplica'
import { startApiServer, type RunningApiServer } from '../helpers/apiServer'
import { startFakeCloudflare, type FakeCloudflare } from '../helpers/fakeCloudflare'
import { makeJpeg } from '../helpers/images'
import { uniqueName } from '../helpers/payload'
import { setupEditorSession } from '../helpers/session'
import { startVarnish, type RunningVarnish } from '../helpers/varnish'
import { getRestartablePort } from '../setup/appServer'
import { percentile } from '../../scripts/bench/report'
import { waitUntil } from '../helpers/waitUntil'

/**
 * Real Varnish, with the shipped VCL, in front of replica B (a child process configured as
 * production is: CACHE_PURGE_URLS and CLOUDFLARE_* in its env), and replica A (this process's
 * Payload, which the test changes through the Local API) beside it on the same database, both
 * purging Varnish and a local stand-in for Cloudflare's API. Changes are made through either
 * replica; each must reach the edge quickly, purged by the replica that made it and by no other,
 * while cached answers that do not depend on it stay edge hits.
 */
const changeCount = Number(process.env.EDGE_PURGE_CHANGES ?? 50)
/** Far above the second the issue asks for: a deadline, not a measurement. */
const perChangeDeadlineMs = 10_000
const metricsToken = crypto.randomBytes(16).toString('hex')
const acceptEncoding = 'br, gzip'
/** Prices this run sets: a range no other run or file is likely to have used. */
const priceBase = 100_000 + crypto.randomInt(800_000)

const session = setupEditorSession()

let cloudflare: FakeCloudflare
let varnish: RunningVarnish | undefined
let replicaB: ReplicaProcess | undefined
let serverA: RunningApiServer | undefined
const purgeEventsOfA: CdnPurgeEvent[] = []
const loggedByA: string[] = []

type Seeded = {
  listedItems: number[]
  otherItem: number
  otherCategory: number
  mediaToDelete: number
}
let seeded: Seeded

const seedCatalog = async (): Promise<Seeded> => {
  const { payload } = session
  const image = await makeJpeg(32, 24)
  const createMedia = (name: string) =>
    payload.create({
      collection: collectionSlugs.media,
      data: { alt: uniqueName(name) },
      file: { data: image, mimetype: 'image/jpeg', name: `${name}.jpg`, size: image.length },
    })
  const logo = await createMedia('edge-logo')
  const mediaToDelete = await createMedia('edge-doomed')
  await payload.updateGlobal({
    slug: globalSlugs.siteSettings,
    data: { siteName: uniqueName('Edge shop'), logo: logo.id },
  })
  const [listed, other] = await Promise.all(
    ['Edge listed', 'Edge other'].map((name) =>
      payload.create({
        collection: collectionSlugs.categories,
        data: { name: uniqueName(name), _status: 'published' },
      }),
    ),
  )
  const createItem = (category: number, index: number) =>
    payload.create({
      collection: collectionSlugs.items,
      data: {
        name: uniqueName(`Edge item ${index}`),
        price: 100 + index,
        category,
        _status: 'published',
      },
    })
  const listedItems = await Promise.all(
    [0, 1, 2, 3, 4].map((index) => createItem(listed.id, index)),
  )
  const otherItem = await createItem(other.id, 9)
  return {
    listedItems: listedItems.map((item) => item.id),
    otherItem: otherItem.id,
    otherCategory: other.id,
    mediaToDelete: mediaToDelete.id,
  }
}

beforeAll(async () => {
  cloudflare = await startFakeCloudflare()
  const varnishPort = await getRestartablePort()
  const varnishUrl = `http://127.0.0.1:${varnishPort}`
  const cloudflareTarget = {
    apiBase: cloudflare.apiBase,
    zoneId: cloudflare.zoneId,
    apiToken: cloudflare.apiToken,
    maxRequestsPerSecond: 100,
  }
  ;[replicaB, serverA, seeded] = await Promise.all([
    startReplicaProcess({
      env: {
        CACHE_PURGE_URLS: varnishUrl,
        CLOUDFLARE_API_TOKEN: cloudflare.apiToken,
        CLOUDFLARE_ZONE_ID: cloudflare.zoneId,
        CLOUDFLARE_API_BASE: cloudflare.apiBase,
        CLOUDFLARE_PURGE_RATE: '100',
        METRICS_TOKEN: metricsToken,
        // Its log lines are checked for the token.
        LOG_LEVEL: 'info',
      },
    }),
    startApiServer(),
    seedCatalog(),
  ])
  varnish = await startVarnish({
    port: varnishPort,
    backendPort: Number(new URL(replicaB.url).port),
  })
  // This process loaded the config before the targets existed: its purger is put in here.
  useCdnPurger(
    session.payload,
    createCdnPurger({
      targets: { cloudflare: cloudflareTarget, httpCaches: [varnishUrl] },
      logger: { error: (fields) => loggedByA.push(JSON.stringify(fields)) },
      onEvent: (event) => purgeEventsOfA.push(event),
    }),
  )
})

afterAll(async () => {
  await Promise.allSettled([replicaB?.stop(), serverA?.close(), varnish?.stop()])
  await cloudflare?.close()
})

type EdgeAnswer = { status: number; body: string; edge: string; age: number }

const readThroughVarnish = async (path: string): Promise<EdgeAnswer> => {
  const response = await fetch(`${varnish?.url}${path}`, {
    headers: { 'Accept-Encoding': acceptEncoding },
  })
  return {
    status: response.status,
    body: await response.text(),
    edge: response.headers.get('x-edge-cache') ?? 'none',
    age: Number(response.headers.get('age') ?? 0),
  }
}

/** Reads until Varnish answers from its cache; the answer it then holds. */
const primeEdge = async (path: string): Promise<EdgeAnswer> => {
  for (let attempt = 0; attempt < 5; attempt++) {
    const answer = await readThroughVarnish(path)
    expect(answer.status, path).toBe(200)
    if (answer.edge === 'HIT') return answer
  }
  throw new Error(`${path} is never an edge hit`)
}

/** How long after `since` the edge first served a body containing `expected`. */
const waitForEdge = async (path: string, expected: string, since: number): Promise<number> => {
  for (;;) {
    const { body } = await readThroughVarnish(path)
    if (body.includes(expected)) return performance.now() - since
    if (performance.now() - since > perChangeDeadlineMs)
      throw new Error(
        `${path} did not show ${expected} at the edge within ${perChangeDeadlineMs} ms`,
      )
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

type Writer = 'A' | 'B'

/** Replica B takes changes as an editor's browser sends them: through Varnish, which passes them. */
const changeThroughB = async (path: string, method: string, body?: unknown) => {
  const response = await fetch(`${varnish?.url}${path}`, {
    method,
    headers: { Authorization: `JWT ${session.token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  expect(response.status, `${method} ${path}: ${await response.clone().text()}`).toBe(200)
}

const setPrice = async (writer: Writer, id: number, price: number) => {
  if (writer === 'A')
    await session.payload.update({ collection: collectionSlugs.items, id, data: { price } })
  else await changeThroughB(`/api/items/${id}`, 'PATCH', { price })
}

const setSiteName = async (writer: Writer, siteName: string) => {
  if (writer === 'A')
    await session.payload.updateGlobal({ slug: globalSlugs.siteSettings, data: { siteName } })
  else await changeThroughB(`/api/globals/${globalSlugs.siteSettings}`, 'POST', { siteName })
}

const metricOfB = async (pattern: RegExp): Promise<number> => {
  const response = await fetch(`${replicaB?.url}/api/metrics`, {
    headers: { Authorization: `Bearer ${metricsToken}` },
  })
  const text = await response.text()
  return Number(pattern.exec(text)?.[1] ?? 0)
}

const httpPurgesOfB = () =>
  metricOfB(/^cdn_purge_requests_total\{target="http",outcome="success"\} (\d+)$/m)

const httpPurgesOfA = () =>
  purgeEventsOfA.filter(
    (event) => event.type === 'request' && event.target === 'http' && event.outcome === 'success',
  ).length

const categoryOf = async (itemId: number): Promise<number> => {
  const item = await session.payload.findByID({
    collection: collectionSlugs.items,
    id: itemId,
    depth: 0,
  })
  return Number(item.category)
}

describe('the edge in front of two replicas', () => {
  it('should tag cached answers with surrogate keys and a day at the edge', async () => {
    const path = `/api/items/${seeded.otherItem}?depth=0`
    await fetch(`${replicaB?.url}${path}`)
    const direct = await fetch(`${replicaB?.url}${path}`)
    expect(direct.headers.get('x-cache')).toBe('HIT')
    expect(direct.headers.get('cache-control')).toBe('public, max-age=0, s-maxage=86400')
    expect(direct.headers.get('surrogate-key')?.split(' ')).toContain(`d:items:${seeded.otherItem}`)
    expect(direct.headers.get('cache-tag')?.split(',')).toContain(`d:items:${seeded.otherItem}`)
    const atEdge = await fetch(`${varnish?.url}${path}`)
    // Varnish keeps the keys for itself; Cache-Tag stays for a Cloudflare in front of it.
    expect(atEdge.headers.get('surrogate-key')).toBeNull()
    expect(atEdge.headers.get('cache-tag')).toBe(direct.headers.get('cache-tag'))
  })

  it('should serve every change at the edge within a second, purged once, leaving the rest cached', async () => {
    const listedItemsPath = `/api/items?where[category][equals]=${await categoryOf(seeded.listedItems[0])}&sort=name&depth=0&limit=50`
    const settingsPath = `/api/globals/${globalSlugs.siteSettings}?depth=0`
    const unrelatedPaths = [
      `/api/items/${seeded.otherItem}?depth=0`,
      `/api/categories/${seeded.otherCategory}?depth=0`,
    ]
    const purgesBefore = {
      varnish: varnish?.purges().length ?? 0,
      cloudflare: cloudflare.calls.length,
    }
    const httpPurgesBefore = { A: httpPurgesOfA(), B: await httpPurgesOfB() }
    const changesBy = { A: 0, B: 0 }
    const latencies: number[] = []
    for (let step = 0; step < changeCount; step++) {
      const writer: Writer = step % 2 === 0 ? 'A' : 'B'
      const isSettingsChange = step % 5 === 4
      const affected = isSettingsChange ? settingsPath : listedItemsPath
      const unaffected = isSettingsChange ? [listedItemsPath, ...unrelatedPaths] : unrelatedPaths
      const primed = await Promise.all([affected, '/api/catalog', ...unaffected].map(primeEdge))
      const siteName = uniqueName('Edge shop')
      const price = priceBase + step
      if (isSettingsChange) await setSiteName(writer, siteName)
      else await setPrice(writer, seeded.listedItems[step % seeded.listedItems.length], price)
      changesBy[writer] += 1
      const since = performance.now()
      // As JSON shows it: another file's item on this database could hold the same number.
      const shown = isSettingsChange ? JSON.stringify(siteName) : `"price":${price}`
      const [latency, catalogLatency] = await Promise.all([
        waitForEdge(affected, shown, since),
        waitForEdge('/api/catalog', shown, since),
      ])
      latencies.push(Math.max(latency, catalogLatency))
      const after = await Promise.all(unaffected.map(readThroughVarnish))
      for (const [index, answer] of after.entries()) {
        expect(answer.edge, `${unaffected[index]} after change ${step}`).toBe('HIT')
        expect(answer.body).toBe(primed[index + 2].body)
      }
    }
    // Purges still on their way would be counted by the next change otherwise.
    await waitUntil(
      'every change purged',
      async () =>
        httpPurgesOfA() - httpPurgesBefore.A + (await httpPurgesOfB()) - httpPurgesBefore.B >=
        changeCount,
    )
    await new Promise((resolve) => setTimeout(resolve, 500))
    const sorted = [...latencies].sort((left, right) => left - right)
    console.log(
      `edge purge: ${changeCount} changes (A ${changesBy.A}, B ${changesBy.B}) through Varnish; new version at the edge after p50 ${percentile(sorted, 50).toFixed(0)} ms, p99 ${percentile(sorted, 99).toFixed(0)} ms, max ${sorted.at(-1)?.toFixed(0)} ms`,
    )
    const varnishPurges = (varnish?.purges() ?? []).slice(purgesBefore.varnish)
    expect(varnishPurges.filter((purge) => purge.keys.length > 0)).toHaveLength(changeCount)
    expect(varnishPurges.every((purge) => purge.status === 200)).toBe(true)
    const cloudflareCalls = cloudflare.calls.slice(purgesBefore.cloudflare)
    expect(cloudflareCalls).toHaveLength(changeCount)
    expect(cloudflareCalls.flatMap((call) => call.problems)).toEqual([])
    // Each change purged by the replica that made it, and by no other.
    expect({
      A: httpPurgesOfA() - httpPurgesBefore.A,
      B: (await httpPurgesOfB()) - httpPurgesBefore.B,
    }).toEqual(changesBy)
  }, 300_000)

  it('should purge the files of deleted media by URL, once', async () => {
    const doomed = await session.payload.findByID({
      collection: collectionSlugs.media,
      id: seeded.mediaToDelete,
    })
    const callsBefore = cloudflare.calls.length
    const varnishBefore = varnish?.purges().length ?? 0
    await changeThroughB(`/api/media/${seeded.mediaToDelete}`, 'DELETE')
    await waitUntil('two Cloudflare calls', () => cloudflare.calls.length - callsBefore >= 2)
    await new Promise((resolve) => setTimeout(resolve, 500))
    const calls = cloudflare.calls.slice(callsBefore)
    expect(calls.map((call) => call.problems)).toEqual([[], []])
    expect(calls[0].tags).toContain(`d:media:${seeded.mediaToDelete}`)
    expect(calls[1].files).toContain(doomed.url)
    expect(calls[1].files?.every((url) => url.startsWith('https://media.catalog.test/'))).toBe(true)
    const fileURLPaths = (calls[1].files ?? []).map((url) => new URL(url).pathname).sort()
    const byURL = (varnish?.purges() ?? [])
      .slice(varnishBefore)
      .filter((purge) => purge.keys.length === 0)
    expect(byURL.map((purge) => purge.path).sort()).toEqual(fileURLPaths)
  })

  it('should keep the Cloudflare token out of logs, metrics, errors and the audit log when purges fail', async () => {
    const callsBefore = cloudflare.calls.length
    // B's next change fails every attempt (4 by default): then its coarse keys are purged.
    cloudflare.answerNext(...Array.from({ length: 4 }, () => ({ status: 500 })))
    await changeThroughB(`/api/items/${seeded.otherItem}`, 'PATCH', { price: priceBase - 1 })
    await waitUntil('five Cloudflare calls', () => cloudflare.calls.length - callsBefore >= 5, {
      timeoutMs: 30_000,
    })
    // The one after is refused with an error quoting the token (not retried): coarse keys again.
    cloudflare.answerNext({ status: 400, messages: [`Invalid token ${cloudflare.apiToken}`] })
    await changeThroughB(`/api/items/${seeded.otherItem}`, 'PATCH', { price: priceBase - 2 })
    await waitUntil('seven Cloudflare calls', () => cloudflare.calls.length - callsBefore >= 7, {
      timeoutMs: 30_000,
    })
    const calls = cloudflare.calls.slice(callsBefore)
    expect(calls.map((call) => call.status)).toEqual([500, 500, 500, 500, 200, 400, 200])
    expect([calls[4].tags, calls[6].tags]).toEqual([['c:items'], ['c:items']])
    await waitUntil('a logged purge failure', () =>
      (replicaB?.output() ?? '').includes('CDN purge failed'),
    )
    const output = replicaB?.output() ?? ''
    expect(output).toContain('Invalid token [redacted]')
    expect(output).not.toContain(cloudflare.apiToken)
    const metrics = await (
      await fetch(`${replicaB?.url}/api/metrics`, {
        headers: { Authorization: `Bearer ${metricsToken}` },
      })
    ).text()
    expect(metrics).toMatch(/^cdn_purge_failures_total\{target="cloudflare",stage="fallback"\} 2$/m)
    expect(metrics).not.toContain(cloudflare.apiToken)
    expect(loggedByA.join('\n')).not.toContain(cloudflare.apiToken)
    const auditRows = await session.payload.find({
      collection: 'audit-logs' as never,
      limit: 1000,
      sort: '-createdAt',
    })
    expect(auditRows.docs.length).toBeGreaterThan(0)
    expect(JSON.stringify(auditRows.docs)).not.toContain(cloudflare.apiToken)
  })
})
