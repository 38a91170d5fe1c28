import type http from 'node:http'
import type { AddressInfo } from 'node:net'

import type { Payload } from 'payload'
import pino from 'pino'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'

import { collectionSlugs } from '../../collections/slugs'
import { retentionQueue, retentionTaskSlug } from '../../plugins/auditLog/defaults'
import type { Media } from '../../payload-types'
import { getEnv } from '../../src/config/env'
import { schedulePublishTaskSlug } from '../../src/config/editorial/scheduledPublishRequest'
import { jobStatsGlobalSlug } from '../../src/config/jobStatsAccess'
import { createAppMetrics } from '../../src/server/observability/metrics'
import { createReadinessChecks } from '../../src/server/observability/readiness'
import { createAppServer } from '../../src/server/appServer'
import { badInputCorpus, graphqlFieldWriteCases, type BadInputCase } from '../badInput/corpus'
import {
  createDatabaseSnapshotter,
  diffSnapshots,
  type DatabaseSnapshot,
} from '../badInput/databaseSnapshot'
import { expectReadableRefusal } from '../badInput/expectRefusal'
import { sendCase, type Credentials, type Placeholders } from '../badInput/runCase'
import { listBucketKeys } from '../helpers/bucket'
import { loginToken } from '../helpers/http'
import { makeJpeg } from '../helpers/images'
import { serveApiThroughNode } from '../helpers/nodeAdapter'
import { closePayload, createUser, initPayload, testPassword, uniqueName } from '../helpers/payload'
import { uploadMedia } from '../helpers/uploads'

const env = getEnv()

let payload: Payload
let server: http.Server
let baseUrl: string
let placeholders: Placeholders
let credentials: Credentials
let snapshotter: Awaited<ReturnType<typeof createDatabaseSnapshotter>>
let databaseBefore: DatabaseSnapshot
let databaseNow: DatabaseSnapshot
let bucketBefore: string[]
const secrets: string[] = []
const serverErrors: string[] = []

beforeAll(async () => {
  payload = await initPayload()
  const admin = await createUser({ payload, role: 'admin' })
  const editor = await createUser({ payload, role: 'editor' })
  const adminToken = await loginToken(admin.email, testPassword)
  const editorToken = await loginToken(editor.email, testPassword)
  credentials = {
    admin: adminToken,
    editor: editorToken,
    adminCookie: adminToken,
    editorCookie: editorToken,
  }
  const category = await payload.create({
    collection: collectionSlugs.categories,
    data: { name: uniqueName('Corpus category'), _status: 'published' },
  })
  const item = await payload.create({
    collection: collectionSlugs.items,
    data: {
      name: uniqueName('Corpus item'),
      price: 100,
      category: category.id,
      _status: 'published',
    },
  })
  const upload = await uploadMedia({
    token: editorToken,
    data: await makeJpeg(60, 40),
    filename: 'corpus.jpg',
  })
  const media = ((await upload.json()) as { doc: Media }).doc
  const audit = await payload.find({ collection: 'audit-logs', limit: 1 })
  const versions = await payload.findVersions({ collection: collectionSlugs.items, limit: 1 })
  placeholders = {
    item: item.id,
    category: category.id,
    media: media.id,
    editor: editor.id,
    admin: admin.id,
    audit: audit.docs[0].id as number,
    itemVersion: versions.docs[0].id as unknown as number,
  }
  secrets.push(adminToken, editorToken, env.PAYLOAD_SECRET, testPassword)
  if (env.r2) secrets.push(env.r2.secretAccessKey)

  server = createAppServer({
    env: { PAYLOAD_SECRET: env.PAYLOAD_SECRET },
    logger: pino({ level: 'silent' }),
    readiness: createReadinessChecks(env),
    metrics: createAppMetrics(),
    version: '0.0.0-test',
    securityHeaders: { isProduction: true, isDevelopment: false, mediaOrigins: [] },
    handle: (req, res) => serveApiThroughNode(req, res),
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  snapshotter = await createDatabaseSnapshotter(env.DATABASE_URL as string)
  databaseBefore = await snapshotter.take()
  databaseNow = databaseBefore
  bucketBefore = (await listBucketKeys()).sort()
})

afterAll(async () => {
  if (serverErrors.length > 0) console.log(`5xx answers:\n${serverErrors.join('\n')}`)
  await snapshotter?.close()
  server?.close()
  await closePayload(payload)
})

/** Sends one case; it must be refused with its readable 4xx, and change nothing. */
const expectRefusedWithoutChange = async (testCase: BadInputCase) => {
  const response = await sendCase({ baseUrl, testCase, placeholders, credentials })
  const text = await response.text()
  const databaseAfter = await snapshotter.take()
  const changes = diffSnapshots(databaseNow, databaseAfter)
  databaseNow = databaseAfter
  if (response.status >= 500)
    serverErrors.push(`${response.status} ${testCase.name}: ${text.slice(0, 300)}`)

  expectReadableRefusal({
    testCase,
    status: response.status,
    contentType: response.headers.get('content-type'),
    text,
    secrets,
  })
  expect(changes).toEqual([])
}

describe(`the bad-input corpus (${badInputCorpus.length} requests)`, () => {
  it('should hold at least 150 distinct cases', () => {
    expect(badInputCorpus.length).toBeGreaterThanOrEqual(150)
    expect(new Set(badInputCorpus.map((testCase) => testCase.name)).size).toBe(
      badInputCorpus.length,
    )
  })

  it.each(badInputCorpus.map((testCase) => [testCase.name, testCase] as const))(
    'should refuse %s with a readable 4xx and change nothing',
    async (_name, testCase: BadInputCase) => expectRefusedWithoutChange(testCase),
  )

  it('should leave every table and the bucket as they were', async () => {
    expect(diffSnapshots(databaseBefore, await snapshotter.take())).toEqual([])
    expect((await listBucketKeys()).sort()).toEqual(bucketBefore)
    expect(snapshotter.tableCount).toBeGreaterThan(10)
  })
})

describe(`the field validation classes over GraphQL (${graphqlFieldWriteCases.length} mutations)`, () => {
  it.each(graphqlFieldWriteCases.map((testCase) => [testCase.name, testCase] as const))(
    'should refuse %s as REST does, and change nothing',
    async (_name, testCase: BadInputCase) => expectRefusedWithoutChange(testCase),
  )
})

describe('hidden fields in a client write', () => {
  it('should drop them: a client cannot set a password hash, salt or lock', async () => {
    const editor = placeholders.editor
    const before = await payload.findByID({
      collection: collectionSlugs.users,
      id: editor,
      showHiddenFields: true,
    })
    const response = await sendCase({
      baseUrl,
      placeholders,
      credentials,
      testCase: {
        name: 'hidden fields',
        method: 'PATCH',
        path: '/api/users/{editor}',
        as: 'admin',
        body: {
          json: { hash: 'x', salt: 'y', loginAttempts: 99, lockUntil: '2999-01-01', name: 'Kept' },
        },
      },
    })
    expect(response.status).toBe(200)
    const after = await payload.findByID({
      collection: collectionSlugs.users,
      id: editor,
      showHiddenFields: true,
    })
    expect(after.name).toBe('Kept')
    expect([after.hash, after.salt, after.loginAttempts ?? 0, after.lockUntil ?? null]).toEqual([
      before.hash,
      before.salt,
      before.loginAttempts ?? 0,
      before.lockUntil ?? null,
    ])
  })
})

// A replica with JOBS_AUTORUN on queues the next retention job on its first 5-minute tick, in
// the middle of a corpus run: the production profile once failed on exactly that.
describe('the database snapshot', () => {
  const queuedJobs: (number | string)[] = []

  afterEach(async () => {
    await payload.delete({
      collection: 'payload-jobs',
      where: { id: { in: queuedJobs.splice(0) } },
    })
  })

  /** A retention job queued past the API; `meta` as Payload's scheduler marks the ones it queues. */
  const queueRetentionJob = async (meta?: { scheduled: true }) => {
    const job = await payload.jobs.queue({
      task: retentionTaskSlug,
      queue: retentionQueue,
      input: {},
      meta,
    })
    queuedJobs.push(job.id)
  }

  const changedTables = async (before: DatabaseSnapshot) =>
    diffSnapshots(before, await snapshotter.take()).map(({ table }) => table)

  it("should leave out the scheduler's own jobs and statistics", async () => {
    const before = await snapshotter.take()
    await queueRetentionJob({ scheduled: true })
    await payload.updateGlobal({
      slug: jobStatsGlobalSlug,
      data: { stats: { scheduledRuns: { queues: {} } } },
      overrideAccess: true,
    })
    expect(await changedTables(before)).toEqual([])
  })

  it('should count the same job when the scheduler did not queue it', async () => {
    const before = await snapshotter.take()
    await queueRetentionJob()
    expect(await changedTables(before)).toEqual(['payload_jobs'])
  })

  it("should count a job an API caller queues, even one claiming the scheduler's mark", async () => {
    const before = await snapshotter.take()
    const response = await fetch(`${baseUrl}/api/payload-jobs`, {
      method: 'POST',
      headers: { Authorization: `JWT ${credentials.editor}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({
        taskSlug: schedulePublishTaskSlug,
        input: {
          type: 'publish',
          doc: { relationTo: collectionSlugs.items, value: placeholders.item },
        },
        waitUntil: new Date(Date.now() + 86_400_000).toISOString(),
        meta: { scheduled: true },
      }),
    })
    expect(response.status).toBe(201)
    queuedJobs.push(((await response.json()) as { doc: { id: number } }).doc.id)
    expect(await changedTables(before)).toEqual(['payload_jobs'])
  })
})
