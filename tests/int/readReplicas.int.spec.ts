import crypto from 'node:crypto'

import pg from 'pg'
import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'

import { collectionSlugs } from '../../collections/slugs'
import type * as PayloadHelpers from '../helpers/payload'
import '../setup/providedContext'

const { databaseUrl } = inject('testContext')
// The "replica" is the same database under another application_name, so its connections and
// the queries they ran can be told apart in pg_stat_activity: a real second pool, no mock.
const replicaName = `catalog-replica-${crypto.randomBytes(3).toString('hex')}`
const replicaUrl = new URL(databaseUrl)
replicaUrl.searchParams.set('application_name', replicaName)

// Imported once the environment names the replica, so the config is built with it.
let helpers: typeof PayloadHelpers
let payload: Payload
const monitor = new pg.Client({ connectionString: databaseUrl })

const replicaConnections = async () =>
  (
    await monitor.query<{ query: string }>(
      'SELECT query FROM pg_stat_activity WHERE application_name = $1',
      [replicaName],
    )
  ).rows

beforeAll(async () => {
  // Read by src/config/env.ts when the config is first imported, which happens below.
  process.env.DATABASE_REPLICA_URLS = replicaUrl.toString()
  helpers = await import('../helpers/payload')
  payload = await helpers.initPayload()
  await monitor.connect()
})

afterAll(async () => {
  delete process.env.DATABASE_REPLICA_URLS
  await monitor.end()
})

describe('read replicas from DATABASE_REPLICA_URLS', () => {
  it('should send reads to the replica pool and return the data', async () => {
    const name = helpers.uniqueName('Replica read')
    await payload.create({
      collection: collectionSlugs.categories,
      data: { name, _status: 'published' },
    })
    // Reads right after this process's own write stay on the primary for 2 s (read-after-write).
    await new Promise((resolve) => setTimeout(resolve, 2_200))
    const found = await payload.find({
      collection: collectionSlugs.categories,
      where: { name: { equals: name } },
    })
    expect(found.docs.map((doc) => doc.name)).toEqual([name])
    const queries = (await replicaConnections()).map((row) => row.query)
    expect(queries.some((query) => query.includes('"categories"'))).toBe(true)
  })

  it('should close the replica pool with the instance', async () => {
    expect((await replicaConnections()).length).toBeGreaterThan(0)
    await helpers.closePayload(payload)
    // A backend leaves pg_stat_activity a moment after its client has said goodbye.
    await expect.poll(async () => (await replicaConnections()).length, { timeout: 5_000 }).toBe(0)
  })
})
