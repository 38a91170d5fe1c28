import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { collectionSlugs } from '../../collections/slugs'
import type { Category, Item, User } from '../../payload-types'
import { claimDueJobs } from '../../src/jobs/runner/claimDueJobs'
import { loginToken, rest } from '../helpers/http'
import { closePayload, createUser, initPayload, testPassword, uniqueName } from '../helpers/payload'
import { startReplicaProcess, type ReplicaProcess } from '../helpers/apiReplica'
import { browserAcceptEncoding } from '../helpers/apiServer'
import { decodeBody, requestRaw } from '../helpers/rawHttp'
import { waitUntil } from '../helpers/waitUntil'

/**
 * Scheduled publishing over REST, run by two replicas' job runners on one database. This process
 * runs no jobs (JOBS_AUTORUN=false in tests): the replicas do, each started with it on.
 */
const jobsSlug = 'payload-jobs'
const auditSlug = 'audit-logs'
/** The bound: a scheduled change happens within 10 s of its time. */
const maxDelayMs = 10_000
const leadMs = 3_000

let payload: Payload
let editor: User
let admin: User
let editorToken: string
let adminToken: string
let category: Category
let replicas: ReplicaProcess[] = []

const createItem = async (status: 'draft' | 'published') =>
  (await payload.create({
    collection: collectionSlugs.items,
    data: { name: uniqueName('Scheduled item'), price: 10, category: category.id, _status: status },
    overrideAccess: true,
  })) as Item

const scheduleOverREST = (
  body: unknown,
  { token = editorToken, baseUrl }: { token?: string | null; baseUrl?: string } = {},
) => {
  const headers: Record<string, string> = token ? { Authorization: `JWT ${token}` } : {}
  if (!baseUrl) return rest('POST', `/api/${jobsSlug}`, { body, headers })
  return fetch(`${baseUrl}/api/${jobsSlug}`, {
    method: 'POST',
    headers: { ...headers, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
}

const scheduleBody = (item: Item, waitUntil: Date, type: 'publish' | 'unpublish' = 'publish') => ({
  taskSlug: 'schedulePublish',
  input: { type, doc: { relationTo: collectionSlugs.items, value: item.id } },
  waitUntil: waitUntil.toISOString(),
})

const jobsFor = (item: Item) =>
  payload.find({
    collection: jobsSlug,
    where: { 'input.doc.value': { equals: String(item.id) } },
    overrideAccess: true,
    depth: 0,
  })

const statusOf = async (item: Item) =>
  (
    (await payload.findByID({
      collection: collectionSlugs.items,
      id: item.id,
      draft: true,
      overrideAccess: true,
    })) as Item
  )._status

/** Polls until the item has `status`; returns when it was first seen so. */
const observeStatus = async (item: Item, status: 'draft' | 'published') => {
  await waitUntil(
    `item #${item.id} to be ${status}`,
    async () => (await statusOf(item)) === status,
    {
      timeoutMs: leadMs + maxDelayMs + 10_000,
      intervalMs: 100,
    },
  )
  return Date.now()
}

const auditEntriesOf = async (item: Item, action: string) =>
  (
    await payload.find({
      collection: auditSlug as 'users',
      where: {
        and: [
          { collection: { equals: collectionSlugs.items } },
          { documentId: { equals: String(item.id) } },
          { action: { equals: action } },
        ],
      },
      overrideAccess: true,
      limit: 100,
    })
  ).docs as unknown as { actorId?: string; actorEmail?: string; actorRole?: string }[]

const publishedVersionsOf = async (item: Item) =>
  (
    await payload.countVersions({
      collection: collectionSlugs.items,
      where: {
        and: [{ parent: { equals: item.id } }, { 'version._status': { equals: 'published' } }],
      },
      overrideAccess: true,
    })
  ).totalDocs

beforeAll(async () => {
  payload = await initPayload()
  // Admin first: on a fresh database the first account becomes an admin, whatever its role.
  admin = await createUser({ payload, role: 'admin' })
  editor = await createUser({ payload, role: 'editor' })
  expect(editor.role).toBe('editor')
  editorToken = await loginToken(editor.email, testPassword)
  adminToken = await loginToken(admin.email, testPassword)
  category = (await payload.create({
    collection: collectionSlugs.categories,
    data: { name: uniqueName('Scheduled category'), sortOrder: 1, _status: 'published' },
    overrideAccess: true,
  })) as Category
  // LOG_LEVEL=info: the test reads from their output that the runner started at boot.
  replicas = await Promise.all(
    [1, 2].map(() => startReplicaProcess({ env: { JOBS_AUTORUN: 'true', LOG_LEVEL: 'info' } })),
  )
})

afterAll(async () => {
  await Promise.all(replicas.map((replica) => replica.stop()))
  await closePayload(payload)
})

describe('the job runner', () => {
  it('should start at boot on every replica that runs jobs, before any request reaches it', () => {
    for (const replica of replicas) {
      expect(replica.output()).toMatch(/Job runner started on queue default/)
    }
  })

  it('should give each due job to exactly one of many concurrent claims', async () => {
    const queue = uniqueName('claim-test')
    const queued = await Promise.all(
      Array.from({ length: 12 }, () =>
        payload.jobs.queue({ task: 'schedulePublish', queue, input: {} }),
      ),
    )
    const claims = await Promise.all(
      Array.from({ length: 24 }, () => claimDueJobs({ payload, queue, limit: 1 })),
    )
    const claimed = claims.flat().map(String)
    expect(new Set(claimed).size).toBe(claimed.length)
    expect(claimed.sort()).toEqual(queued.map((job) => String(job.id)).sort())
    await payload.delete({
      collection: jobsSlug,
      where: { queue: { equals: queue } },
      overrideAccess: true,
    })
  })
})

describe('a process that runs no jobs', () => {
  // Regression: Payload queues scheduled jobs from every process with autoRun crons, before it
  // asks shouldAutoRun; the retention cron made test processes queue jobs into a shared database.
  it('should have no autoRun cron at all (JOBS_AUTORUN=false, as in this test process)', async () => {
    const { autoRun } = payload.config.jobs
    const crons = typeof autoRun === 'function' ? await autoRun(payload) : autoRun
    expect(crons ?? []).toEqual([])
  })
})

describe('scheduled publishing over REST', () => {
  it('should publish drafts at their time, once each, with two replicas, as the editor who scheduled', async () => {
    const items = await Promise.all(Array.from({ length: 6 }, () => createItem('draft')))
    // An anonymous read a replica caches while the items are drafts.
    const listPath = `/api/items?where[category][equals]=${category.id}&limit=100&depth=0`
    const readList = () =>
      requestRaw(`${replicas[0].url}${listPath}`, {
        headers: { 'Accept-Encoding': browserAcceptEncoding },
      })
    await readList()
    const cached = await readList()
    expect(cached.headers['x-cache']).toBe('HIT')
    const idsIn = (body: string) =>
      (JSON.parse(body) as { docs: { id: number }[] }).docs.map((doc) => doc.id)
    expect(idsIn(decodeBody(cached).toString())).toEqual([])

    // All due at the same moment: both replicas' runners reach for them at once.
    const publishAt = new Date(Date.now() + leadMs)
    for (const [index, item] of items.entries()) {
      const response = await scheduleOverREST(scheduleBody(item, publishAt), {
        baseUrl: replicas[index % 2].url,
      })
      expect(response.status, await response.clone().text()).toBe(201)
    }

    const seenAt = await Promise.all(items.map((item) => observeStatus(item, 'published')))
    for (const observed of seenAt) {
      expect(observed - publishAt.getTime()).toBeLessThanOrEqual(maxDelayMs)
    }
    for (const item of items) {
      // Let any second run that might come show itself before counting.
      await waitUntil('the job to be finished', async () => (await jobsFor(item)).totalDocs === 0, {
        timeoutMs: 15_000,
        intervalMs: 200,
      })
    }
    await new Promise((resolve) => setTimeout(resolve, 2 * 2_000))
    for (const item of items) {
      expect(await publishedVersionsOf(item)).toBe(1)
      const published = await auditEntriesOf(item, 'publish')
      expect(published).toHaveLength(1)
      expect(published[0]).toMatchObject({
        actorId: String(editor.id),
        actorEmail: editor.email,
        actorRole: 'editor',
      })
    }

    // The replica that cached the list hears of the publishes and answers fresh.
    await waitUntil(
      'the cached list to show the published items',
      async () => idsIn(decodeBody(await readList()).toString()).length === items.length,
      { timeoutMs: 10_000, intervalMs: 100 },
    )
  })

  it('should unpublish at its time, audited with the editor as actor', async () => {
    const item = await createItem('published')
    const unpublishAt = new Date(Date.now() + leadMs)
    const response = await scheduleOverREST(scheduleBody(item, unpublishAt, 'unpublish'))
    expect(response.status, await response.clone().text()).toBe(201)
    const seenAt = await observeStatus(item, 'draft')
    expect(seenAt - unpublishAt.getTime()).toBeLessThanOrEqual(maxDelayMs)
    await waitUntil(
      'the audit entry',
      async () => (await auditEntriesOf(item, 'unpublish')).length > 0,
    )
    const entries = await auditEntriesOf(item, 'unpublish')
    expect(entries).toHaveLength(1)
    expect(entries[0]).toMatchObject({ actorId: String(editor.id), actorEmail: editor.email })
  })

  it('should schedule as the requester, whatever user or runner fields the body names', async () => {
    const item = await createItem('draft')
    const response = await scheduleOverREST({
      ...scheduleBody(item, new Date(Date.now() + 60 * 60 * 1000)),
      input: {
        ...scheduleBody(item, new Date()).input,
        user: { relationTo: collectionSlugs.users, value: admin.id },
      },
      processing: true,
      queue: 'elsewhere',
    })
    expect(response.status, await response.clone().text()).toBe(201)
    const [job] = (await jobsFor(item)).docs
    expect(job).toMatchObject({
      queue: 'default',
      processing: false,
      input: { user: { relationTo: collectionSlugs.users, value: editor.id } },
    })
    await payload.delete({ collection: jobsSlug, id: job.id, overrideAccess: true })
  })
})

describe('who may schedule, and what', () => {
  const later = () => new Date(Date.now() + 60 * 60 * 1000)

  it('should refuse anonymous requests', async () => {
    const item = await createItem('draft')
    const response = await scheduleOverREST(scheduleBody(item, later()), { token: null })
    expect([401, 403]).toContain(response.status)
    expect((await jobsFor(item)).totalDocs).toBe(0)
  })

  it('should refuse any other task, to editors and admins alike, saying which may be created', async () => {
    // Other files share the database (an import queues createCollectionImport jobs): compare.
    const countOtherTasks = async () =>
      (
        await payload.count({
          collection: jobsSlug,
          where: {
            and: [
              {
                taskSlug: {
                  in: ['auditLogRetention', 'createCollectionImport', 'createCollectionExport'],
                },
              },
              // The retention schedule queues its own jobs on its own queue.
              { queue: { equals: 'default' } },
            ],
          },
          overrideAccess: true,
        })
      ).totalDocs
    const before = await countOtherTasks()
    for (const taskSlug of [
      'auditLogRetention',
      'createCollectionImport',
      'createCollectionExport',
    ]) {
      for (const token of [editorToken, adminToken]) {
        const response = await scheduleOverREST({ taskSlug, input: {} }, { token })
        expect(response.status, taskSlug).toBe(403)
        const { errors } = (await response.json()) as { errors: { message: string }[] }
        expect(errors[0].message).toBe(
          `Only "schedulePublish" jobs may be created over the API, not "${taskSlug}".`,
        )
      }
    }
    expect(await countOtherTasks()).toBe(before)
  })

  it('should answer malformed requests with 400 and create nothing', async () => {
    const item = await createItem('draft')
    const cases: [string, unknown, RegExp][] = [
      [
        'unknown collection',
        { ...scheduleBody(item, later()), input: { doc: { relationTo: 'users', value: item.id } } },
        /relationTo must be one of: items, categories/,
      ],
      [
        'missing document',
        {
          ...scheduleBody(item, later()),
          input: { doc: { relationTo: collectionSlugs.items, value: 2_000_000_000 } },
        },
        /items #2000000000 does not exist/,
      ],
      ['time in the past', scheduleBody(item, new Date(Date.now() - 60_000)), /in the past/],
      [
        'not a date',
        { ...scheduleBody(item, later()), waitUntil: 'next tuesday' },
        /waitUntil is not a date/,
      ],
      [
        'no time',
        { ...scheduleBody(item, later()), waitUntil: undefined },
        /waitUntil is required/,
      ],
      [
        'bad type',
        {
          ...scheduleBody(item, later()),
          input: { ...scheduleBody(item, later()).input, type: 'x' },
        },
        /"publish" or "unpublish"/,
      ],
    ]
    for (const [name, body, message] of cases) {
      const response = await scheduleOverREST(body)
      expect(response.status, name).toBe(400)
      const { errors } = (await response.json()) as { errors: { message: string }[] }
      expect(errors[0].message, name).toMatch(message)
    }
    expect((await jobsFor(item)).totalDocs).toBe(0)
  })

  it("should keep Payload's run endpoints closed to editors and admins", async () => {
    for (const token of [editorToken, adminToken]) {
      for (const path of ['run', 'handle-schedules']) {
        const response = await rest('GET', `/api/${jobsSlug}/${path}`, {
          headers: { Authorization: `JWT ${token}` },
        })
        expect(response.status, path).toBe(401)
      }
    }
  })

  it('should let admins, and nobody else, list jobs', async () => {
    const asEditor = await rest('GET', `/api/${jobsSlug}`, {
      headers: { Authorization: `JWT ${editorToken}` },
    })
    expect(asEditor.status, await asEditor.clone().text()).toBe(403)
    const asAdmin = await rest('GET', `/api/${jobsSlug}`, {
      headers: { Authorization: `JWT ${adminToken}` },
    })
    expect(asAdmin.status).toBe(200)
  })
})
