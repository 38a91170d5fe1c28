import crypto from 'node:crypto'

import type { PostgresAdapter } from '@payloadcms/db-postgres'
import pg from 'pg'
import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'

import { collectionSlugs } from '../../collections/slugs'
import type * as ApiServerHelpers from '../helpers/apiServer'
import type * as HttpHelpers from '../helpers/http'
import type * as PayloadHelpers from '../helpers/payload'
import '../setup/providedContext'

/**
 * Anonymous reads run with PostgreSQL's statement_timeout, on a read replica when there is one.
 * A lock held on the items table makes any statement on it wait, exactly as long as the test
 * decides: an anonymous read must be stopped at the timeout and answered 503, while an editor's
 * read and the server's own Local API reads wait for the lock as before.
 */

const { databaseUrl } = inject('testContext')
// The "replica" is the same database under another application_name, so pg_stat_activity tells
// its connections apart from the primary's.
const replicaName = `catalog-public-reads-${crypto.randomBytes(3).toString('hex')}`
const replicaUrl = new URL(databaseUrl)
replicaUrl.searchParams.set('application_name', replicaName)
const statementTimeoutMs = 400

let payload: Payload
let api: ApiServerHelpers.RunningApiServer
let editorToken: string
const locker = new pg.Client({ connectionString: databaseUrl })
const monitor = new pg.Client({ connectionString: databaseUrl })

beforeAll(async () => {
  // Read by src/config/env.ts when the config is first imported, which happens below.
  process.env.DATABASE_REPLICA_URLS = replicaUrl.toString()
  process.env.PUBLIC_QUERY_TIMEOUT_MS = String(statementTimeoutMs)
  const helpers: typeof PayloadHelpers = await import('../helpers/payload')
  const http: typeof HttpHelpers = await import('../helpers/http')
  const { startApiServer }: typeof ApiServerHelpers = await import('../helpers/apiServer')
  payload = await helpers.initPayload()
  const editor = await helpers.createUser({ payload, role: 'editor' })
  editorToken = await http.loginToken(editor.email, helpers.testPassword)
  const category = await payload.create({
    collection: collectionSlugs.categories,
    data: { name: helpers.uniqueName('Timed'), _status: 'published' },
  })
  await payload.create({
    collection: collectionSlugs.items,
    data: {
      name: helpers.uniqueName('Timed item'),
      price: 1,
      category: category.id,
      _status: 'published',
    },
  })
  api = await startApiServer()
  await locker.connect()
  await monitor.connect()
})

afterAll(async () => {
  delete process.env.DATABASE_REPLICA_URLS
  delete process.env.PUBLIC_QUERY_TIMEOUT_MS
  await locker.end()
  await monitor.end()
  await api?.close()
  if (payload) await (await import('../helpers/payload')).closePayload(payload)
})

/**
 * Runs `work` while the items table is locked against every reader: until `work` is done, or for
 * `lockMs` at most. Without a timeout a read waits that long, and then succeeds.
 */
const whileItemsLocked = async <T>(lockMs: number, work: () => Promise<T>): Promise<T> => {
  await locker.query('BEGIN')
  await locker.query('LOCK TABLE items IN ACCESS EXCLUSIVE MODE')
  let timer: NodeJS.Timeout | undefined
  const timeUp = new Promise((resolve) => {
    timer = setTimeout(resolve, lockMs)
  })
  const result = work()
  await Promise.race([result.catch(() => undefined), timeUp])
  clearTimeout(timer)
  await locker.query('ROLLBACK')
  return result
}

/** Connections waiting for the lock, by application_name, seen while `pending` runs. */
const lockWaitersDuring = async (pending: Promise<unknown>): Promise<Set<string>> => {
  const names = new Set<string>()
  let isDone = false
  void pending.finally(() => {
    isDone = true
  })
  while (!isDone) {
    const { rows } = await monitor.query<{ application_name: string }>(
      `SELECT application_name FROM pg_stat_activity
       WHERE datname = current_database() AND wait_event_type = 'Lock'`,
    )
    for (const row of rows) names.add(row.application_name)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return names
}

const getJson = async (path: string, token?: string) => {
  const response = await fetch(`${api.url}${path}`, {
    headers: token ? { Authorization: `JWT ${token}` } : {},
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

const errorMessage = (body: Record<string, unknown>) =>
  (body.errors as { message: string }[] | undefined)?.[0]?.message

describe('the statement timeout of anonymous queries', () => {
  it('should stop an anonymous REST read at the timeout, on a replica, with a 503', async () => {
    const answer = await whileItemsLocked(5_000, async () => {
      const request = getJson('/api/items?where[name][like]=Timed')
      const waiters = await lockWaitersDuring(request)
      return { ...(await request), waiters }
    })
    expect(answer.status).toBe(503)
    expect(errorMessage(answer.body)).toMatch(`the ${statementTimeoutMs} ms an anonymous query`)
    expect(answer.waiters).toContain(replicaName)
  })

  it('should stop an anonymous count and a GraphQL query the same way', async () => {
    const [count, graphql] = await whileItemsLocked(5_000, () =>
      Promise.all([
        getJson('/api/items/count'),
        fetch(`${api.url}/api/graphql`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ query: '{ Items { totalDocs } }' }),
        }).then(async (response) => ({ status: response.status, body: await response.json() })),
      ]),
    )
    expect(count.status).toBe(503)
    expect(graphql.status).toBe(503)
    expect(errorMessage(graphql.body)).toMatch(`${statementTimeoutMs} ms`)
  })

  it("should let an editor's read and the server's own reads wait for the lock", async () => {
    const lockMs = statementTimeoutMs * 3
    const [editorRead, localRead] = await whileItemsLocked(lockMs, () =>
      Promise.all([
        getJson('/api/items?where[name][like]=Timed', editorToken),
        payload.find({ collection: collectionSlugs.items, overrideAccess: false, depth: 0 }),
      ]),
    )
    expect(editorRead.status).toBe(200)
    expect(localRead.totalDocs).toBeGreaterThan(0)
  })

  it('should leave no transaction open after anonymous reads, nested ones included', async () => {
    const answers = await Promise.all([
      getJson('/api/items?depth=2'),
      getJson('/api/categories?depth=1&joins[items][limit]=5'),
      getJson('/api/items/count'),
      getJson('/api/items?where[name][drop]=x'),
      getJson('/api/items/999999'),
    ])
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 400, 404])
    expect(Object.keys((payload.db as unknown as PostgresAdapter).sessions)).toEqual([])
    const { rows } = await monitor.query(
      `SELECT 1 FROM pg_stat_activity
       WHERE datname = current_database() AND state LIKE 'idle in transaction%'`,
    )
    expect(rows).toEqual([])
  })
})
