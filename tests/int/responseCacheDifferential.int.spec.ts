import crypto from 'node:crypto'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { globalSlugs } from '../../collections/slugs'
import type { SiteSetting } from '../../payload-types'
import { getCacheRegistry } from '../../plugins/responseCache'
import { getEnv } from '../../src/config/env'
import { getAppMetrics } from '../../src/server/observability/metrics'
import { startReplicaProcess, type ReplicaProcess } from '../helpers/apiReplica'
import { startApiServer, type RunningApiServer } from '../helpers/apiServer'
import { listenToCacheChanges, type CacheChangeFeed } from '../helpers/cacheChangeFeed'
import {
  mutateOverREST,
  mutateThroughLocalAPI,
  planMutation,
  recordMutation,
  seedCatalog,
  type CatalogMutation,
  type CatalogState,
  type ChangedDocument,
} from '../helpers/catalogChanges'
import {
  makeRead,
  makeReadPool,
  readThroughServer,
  readUncached,
  type ApiRead,
} from '../helpers/catalogReads'
import { createSeededRandom, seedFromEnv } from '../helpers/seededRandom'
import { setupEditorSession } from '../helpers/session'

/**
 * The response cache against Payload itself, on two replicas of one database: after each of a
 * random sequence of changes, once both replicas have heard of it, every anonymous read either
 * replica answers — from its cache or not — must be the bytes Payload answers uncached.
 * A failure prints its seed; run again with RESPONSE_CACHE_DIFFERENTIAL_SEED set to replay it
 * (RESPONSE_CACHE_DIFFERENTIAL_CHANGES sets the number of changes, 200 by default).
 */
const seedVariable = 'RESPONSE_CACHE_DIFFERENTIAL_SEED'
const seed = seedFromEnv(seedVariable)
const changeCount = Number(process.env.RESPONSE_CACHE_DIFFERENTIAL_CHANGES ?? 200)
/** The requests a frontend keeps making; the first ones are asked most. */
const readPoolSize = 40
/** Requests checked after each change, each on both replicas and revalidated on either. */
const readsPerCheck = 3
const deliveryTimeoutMs = 10_000
/** Runs give about 0.45; caching that silently stopped gives 0. */
const minimumHitRatio = 0.3
/** The run takes about a minute on two idle cores; a machine busy with other work gets more. */
const runTimeoutMs = 300_000
const metricsToken = crypto.randomBytes(16).toString('hex')

const session = setupEditorSession()

type Replica = {
  name: string
  url: string
  /** Change announcements its listener has processed, from the catalog cache's counter. */
  announcementsProcessed: () => Promise<number>
  /** Makes the change as an editor would on this replica; the document as it is afterwards. */
  mutate: (mutation: CatalogMutation) => Promise<ChangedDocument | undefined>
}

/** Each replica counts, in catalog_cache_invalidations_total, every announcement it processes. */
const announcementsCounter = 'catalog_cache_invalidations_total{origin="notification"}'

const announcementsProcessedInProcess = async (): Promise<number> => {
  const { values } = await getAppMetrics().catalogCacheInvalidations.get()
  return values.find((value) => value.labels.origin === 'notification')?.value ?? 0
}

const announcementsProcessedOf = (url: string) => async (): Promise<number> => {
  const response = await fetch(`${url}/api/metrics`, {
    headers: { Authorization: `Bearer ${metricsToken}` },
  })
  const text = await response.text()
  if (response.status !== 200) throw new Error(`/api/metrics answered ${response.status}: ${text}`)
  const sample = text.split('\n').find((line) => line.startsWith(`${announcementsCounter} `))
  return sample ? Number(sample.slice(announcementsCounter.length + 1)) : 0
}

const random = createSeededRandom(seed)
let state: CatalogState
let serverA: RunningApiServer | undefined
let processB: ReplicaProcess | undefined
let changeFeed: CacheChangeFeed | undefined
let replicas: Replica[] = []
/** The site settings are shared by the test files: put back as they were found. */
let settingsBefore: SiteSetting | undefined

beforeAll(async () => {
  settingsBefore = await session.payload.findGlobal({ slug: globalSlugs.siteSettings, depth: 0 })
  // Replica B boots (its own Payload, through tsx) while the catalog is seeded through A's. All
  // settle before a failure is thrown, so afterAll stops whatever did start.
  const started = await Promise.allSettled([
    startReplicaProcess({ env: { METRICS_TOKEN: metricsToken } }).then((replica) => {
      processB = replica
    }),
    startApiServer().then((server) => {
      serverA = server
    }),
    seedCatalog({ payload: session.payload, random }).then((seeded) => {
      state = seeded
    }),
  ])
  const failure = started.find((outcome) => outcome.status === 'rejected')
  if (failure) throw failure.reason
  if (!serverA || !processB) throw new Error('a replica did not start')
  changeFeed = await listenToCacheChanges({ connectionString: getEnv().DATABASE_URL })
  const { url: urlB } = processB
  replicas = [
    {
      // This process: the Payload instance the test helpers started, behind the app's server.
      name: 'A',
      url: serverA.url,
      announcementsProcessed: announcementsProcessedInProcess,
      mutate: (mutation) => mutateThroughLocalAPI(session.payload, mutation),
    },
    {
      name: 'B',
      url: urlB,
      announcementsProcessed: announcementsProcessedOf(urlB),
      mutate: (mutation) => mutateOverREST({ url: urlB, token: session.token }, mutation),
    },
  ]
})

afterAll(async () => {
  await Promise.allSettled([processB?.stop(), serverA?.close(), changeFeed?.stop()])
  if (settingsBefore) {
    const { siteName, currency, logo, banner } = settingsBefore
    await session.payload.updateGlobal({
      slug: globalSlugs.siteSettings,
      data: { siteName, currency, logo: logo ?? null, banner: banner ?? null },
    })
  }
})

/** What the run saw, for the report and the assertions. */
const createTally = () => {
  const outcomes = new Map<string, number>()
  const byKind = new Map<string, { reads: number; hits: number; statuses: Set<number> }>()
  const stale: string[] = []
  let notModified = 0
  return {
    stale,
    count: (
      read: ApiRead,
      { outcome, status }: { outcome: string; status: number },
      uncachedStatus: number,
    ) => {
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1)
      if (status === 304) notModified += 1
      const kind = byKind.get(read.kind) ?? { reads: 0, hits: 0, statuses: new Set<number>() }
      kind.reads += 1
      if (outcome === 'HIT') kind.hits += 1
      kind.statuses.add(uncachedStatus)
      byKind.set(read.kind, kind)
    },
    reads: () => [...outcomes.values()].reduce((sum, count) => sum + count, 0),
    hits: () => outcomes.get('HIT') ?? 0,
    describe: () => [
      `  X-Cache: ${[...outcomes].map(([outcome, count]) => `${outcome} ${count}`).join(', ')}; ${notModified} of them 304 Not Modified`,
      ...[...byKind]
        .sort(([left], [right]) => left.localeCompare(right))
        .map(
          ([kind, { reads, hits, statuses }]) =>
            `  ${kind}: ${reads} reads, ${hits} hits, uncached status ${[...statuses].join(', ')}`,
        ),
    ],
  }
}

describe('the response cache across two replicas', () => {
  it(
    'should answer every anonymous read on either replica with the bytes Payload answers uncached',
    async () => {
      const feed = changeFeed as CacheChangeFeed
      console.log(
        `response cache differential run: seed ${seed} (${seedVariable}=${seed} replays it), ${changeCount} changes`,
      )
      const startedAt = performance.now()
      // A replica's counter moves once per cached endpoint for each announcement.
      const countsPerAnnouncement = getCacheRegistry(session.payload).caches.size
      const announcementsBefore = await feed.catchUp()
      const baselines = await Promise.all(
        replicas.map((replica) => replica.announcementsProcessed()),
      )

      /** Resolves once both replicas have processed every announcement committed so far. */
      const waitForDelivery = async (): Promise<number> => {
        const announcements = (await feed.catchUp()) - announcementsBefore
        const deadline = Date.now() + deliveryTimeoutMs
        for (const [index, replica] of replicas.entries()) {
          for (;;) {
            const processed =
              ((await replica.announcementsProcessed()) - baselines[index]) / countsPerAnnouncement
            if (processed >= announcements) break
            if (Date.now() > deadline)
              throw new Error(
                `replica ${replica.name} processed ${processed} of the ${announcements} announcements within ${deliveryTimeoutMs} ms`,
              )
            await new Promise((resolve) => setTimeout(resolve, 5))
          }
        }
        return announcements
      }

      const pool = makeReadPool(random, state, readPoolSize)
      const tally = createTally()
      const history: string[] = []
      let racingReads = 0

      /** The last answer each read got, with its ETag: what a client revalidates later. */
      const lastAnswers = new Map<ApiRead, { etag: string; body: string }>()

      /**
       * A few reads of the pool, each uncached and on the replicas, all at once: plainly on each
       * replica, then on either revalidating the ETag it got last time. A 304 is right only if
       * the body is still the one that ETag was sent with.
       */
      const check = async (step: number) => {
        const picked = new Set<ApiRead>()
        // Skewed to the start of the pool: a few requests are hot, as on a real site.
        while (picked.size < readsPerCheck)
          picked.add(pool[Math.floor(random.next() ** 2 * pool.length)])
        const checks = [...picked].map(async (read, index) => {
          const remembered = lastAnswers.get(read)
          const readers = [
            ...replicas.map((replica) => ({ replica, ifNoneMatch: undefined })),
            { replica: random.pick(replicas), ifNoneMatch: remembered?.etag },
          ]
          const requestId = `differential-${step}-${index}`
          const [expected, ...answers] = await Promise.all([
            readUncached(read, { requestId }),
            ...readers.map(({ replica, ifNoneMatch }) =>
              readThroughServer(replica.url, read, { requestId, ifNoneMatch }),
            ),
          ])
          for (const [reader, { answer, outcome, etag }] of answers.entries()) {
            tally.count(read, { outcome, status: answer.status }, expected.status)
            const isRight =
              answer.status === 304
                ? expected.status === 200 && remembered?.body === expected.body
                : answer.status === expected.status && answer.body === expected.body
            if (answer.status === 200 && etag) lastAnswers.set(read, { etag, body: answer.body })
            if (isRight) continue
            const { replica, ifNoneMatch } = readers[reader]
            tally.stale.push(
              [
                `after change ${step}, replica ${replica.name}: ${read.method} ${read.path}${read.body ? ` ${read.body}` : ''}${ifNoneMatch ? ` If-None-Match: ${ifNoneMatch}` : ''}`,
                `  X-Cache: ${outcome}, status ${answer.status} (uncached: ${expected.status})`,
                `  answered: ${answer.status === 304 ? `not modified since ${remembered?.body.slice(0, 800)}` : answer.body.slice(0, 800)}`,
                `  uncached: ${expected.body.slice(0, 800)}`,
                `  the changes before: ${history.slice(-6).join('; ')}`,
              ].join('\n'),
            )
          }
        })
        await Promise.all(checks)
      }

      await check(0)
      for (let step = 1; step <= changeCount; step++) {
        const mutation = await planMutation({ random, state, payload: session.payload })
        // Half the changes on each replica.
        const writer = replicas[step % 2]
        history.push(`${step}. ${mutation.description} on ${writer.name}`)
        // Reads racing the change may fill entries from before it: the cache must not keep them.
        const racing = random.chance(0.3)
          ? Array.from({ length: 1 + random.integer(3) }, (_, index) =>
              readThroughServer(random.pick(replicas).url, random.pick(pool), {
                requestId: `differential-racing-${step}-${index}`,
              }),
            )
          : []
        racingReads += racing.length
        recordMutation(state, mutation, await writer.mutate(mutation))
        await Promise.all(racing)
        await waitForDelivery()
        if (random.chance(0.5)) pool[random.integer(pool.length)] = makeRead(random, state)
        await check(step)
      }

      const announcements = await waitForDelivery()
      const seconds = (performance.now() - startedAt) / 1000
      const { stale } = tally
      const hitRatio = tally.hits() / tally.reads()
      console.log(
        [
          `response cache differential run, seed ${seed}: ${tally.reads()} reads checked, ${changeCount} changes (${announcements} announcements), hit ratio ${hitRatio.toFixed(3)}, ${stale.length} stale, ${seconds.toFixed(1)} s`,
          `  and ${racingReads} reads racing the changes, unchecked: the checks after them find what they left`,
          ...tally.describe(),
          ...stale.slice(0, 5),
        ].join('\n'),
      )
      expect(stale.slice(0, 3), `${stale.length} stale answers (seed ${seed})`).toEqual([])
      expect(hitRatio).toBeGreaterThan(minimumHitRatio)
      // Each replica processed every announcement once: none lost, none counted twice.
      const counts = await Promise.all(replicas.map((replica) => replica.announcementsProcessed()))
      expect(
        counts.map((count, index) => (count - baselines[index]) / countsPerAnnouncement),
      ).toEqual(replicas.map(() => announcements))
    },
    runTimeoutMs,
  )
})
