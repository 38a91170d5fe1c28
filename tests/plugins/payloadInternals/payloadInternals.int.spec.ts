import crypto from 'node:crypto'

import { sql, type MigrateUpArgs } from '@payloadcms/db-postgres'
import pg from 'pg'
import { createLocalReq, type CollectionAfterChangeHook, type Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest'

import '../../setup/providedContext'
import { collectionSlugs } from '../../../collections/slugs'
import {
  applyMigrations,
  beginReadTransaction,
  endPool,
  getCachedPayloadInstances,
  getAuthenticatedSessionId,
  getCollectionTableName,
  getExecutorOutsideTransaction,
  getPayloadPools,
  getPostgresAdapter,
  getRequestExecutor,
  getTransactionExecutor,
  readHasManyTexts,
  toPoolClientOption,
  wrapAfterChangeHooksAddedByPlugin,
  type PostgresPool,
} from '../../../plugins/payloadInternals'
import { DatabaseFailureRecordingClient } from '../../../src/database/failureScope'
import {
  closePayload,
  createUser,
  initPayload,
  testPassword,
  uniqueName,
} from '../../helpers/payload'

/*
 * The contract of plugins/payloadInternals: each check names the internal of Payload, Drizzle or
 * pg that an upgrade changed when it fails. Run against this app's own config and schema, since the
 * reaches concern its adapter and its tables.
 */

let payload: Payload

beforeAll(async () => {
  payload = await initPayload()
})

afterAll(async () => {
  await closePayload(payload)
})

const databaseUrl = () => inject('testContext').databaseUrl

const createCategory = (req?: Awaited<ReturnType<typeof createLocalReq>>) =>
  payload.create({
    collection: collectionSlugs.categories,
    data: { name: uniqueName('Internals category'), _status: 'published' },
    req,
  })

const selectCategoryNames = async (
  executor: { execute: (query: unknown) => Promise<{ rows: Record<string, unknown>[] }> },
  id: number,
) => (await executor.execute(sql`SELECT name FROM categories WHERE id = ${id}`)).rows

/** Resolves to true when `work` settles within `ms`, false otherwise. */
const settlesWithin = (work: Promise<unknown>, ms: number): Promise<boolean> => {
  let timer: NodeJS.Timeout | undefined
  return Promise.race([
    work.then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms)
    }),
  ]).finally(() => clearTimeout(timer))
}

describe('the Postgres adapter', () => {
  it('should be payload.db, with its drizzle, pool, sessions and table map', () => {
    const adapter = getPostgresAdapter(payload)
    expect(adapter.name, 'payload.db is no longer the Postgres adapter').toBe('postgres')
    expect(typeof adapter.drizzle?.execute, 'the adapter no longer exposes `drizzle`').toBe(
      'function',
    )
    expect(adapter.tableNameMap, 'the adapter no longer keeps its `tableNameMap`').toBeInstanceOf(
      Map,
    )
    expect(
      typeof adapter.sessions,
      'the adapter no longer keeps open transactions in `sessions`',
    ).toBe('object')
  })
})

describe('transactions', () => {
  it('should give no transaction handle to a request outside a transaction', async () => {
    const req = await createLocalReq({}, payload)
    expect(await getTransactionExecutor(req)).toBeUndefined()
  })

  it("should give the open transaction's Drizzle handle, which sees that transaction's uncommitted rows", async () => {
    const req = await createLocalReq({}, payload)
    req.transactionID = (await payload.db.beginTransaction()) ?? undefined
    try {
      const category = await createCategory(req)
      const transaction = await getTransactionExecutor(req)
      expect(
        transaction,
        "the Postgres adapter no longer keeps an open transaction's Drizzle handle in db.sessions[transactionID].db",
      ).toBeDefined()
      expect(
        await selectCategoryNames(transaction!, category.id),
        "raw SQL through db.sessions[transactionID].db no longer runs inside Payload's transaction",
      ).toEqual([{ name: category.name }])
      expect(
        await selectCategoryNames(getPostgresAdapter(payload).drizzle as never, category.id),
        'db.drizzle no longer runs outside the open transaction',
      ).toEqual([])
    } finally {
      await payload.db.rollbackTransaction(req.transactionID!)
    }
  })

  it("should run a request's SQL in its transaction when it has one, else on the adapter's drizzle", async () => {
    const req = await createLocalReq({}, payload)
    expect(await getRequestExecutor(req), 'db.drizzle is no longer the adapter executor').toBe(
      getPostgresAdapter(payload).drizzle,
    )
    req.transactionID = (await payload.db.beginTransaction()) ?? undefined
    try {
      expect(await getRequestExecutor(req)).toBe(await getTransactionExecutor(req))
    } finally {
      await payload.db.rollbackTransaction(req.transactionID!)
    }
  })

  it("should give the adapter's own drizzle, which runs outside a request's transaction", async () => {
    const outside = getExecutorOutsideTransaction(payload)
    expect(
      outside,
      'the Postgres adapter no longer exposes its Drizzle instance as db.drizzle',
    ).toBe(getPostgresAdapter(payload).drizzle)
    const req = await createLocalReq({}, payload)
    req.transactionID = (await payload.db.beginTransaction()) ?? undefined
    try {
      const category = await createCategory(req)
      expect(
        await selectCategoryNames(outside, category.id),
        "db.drizzle now sees an open transaction's rows",
      ).toEqual([])
    } finally {
      await payload.db.rollbackTransaction(req.transactionID!)
    }
  })

  it('should begin a read transaction that Payload tracks like its own', async () => {
    const transactionId = await beginReadTransaction(payload)
    try {
      expect(
        transactionId,
        'the adapter no longer returns an id from beginTransaction',
      ).not.toBeNull()
      expect(
        getPostgresAdapter(payload).sessions[String(transactionId)],
        'the adapter no longer registers a transaction begun on a copy of itself in db.sessions',
      ).toBeDefined()
    } finally {
      await payload.db.commitTransaction(transactionId!)
    }
  })
})

describe('tables', () => {
  it("should name a collection's table in the adapter's tableNameMap", () => {
    expect(
      getCollectionTableName({ payload, slug: collectionSlugs.items }),
      'the Drizzle adapter no longer maps a collection slug to its table in tableNameMap',
    ).toBe('items')
  })

  it('should keep a hasMany text field in <table>_texts, with parent_id, path, text and "order"', async () => {
    const { rows } = await (
      getPostgresAdapter(payload).drizzle as unknown as {
        execute: (query: unknown) => Promise<{ rows: { column_name: string }[] }>
      }
    ).execute(
      sql`SELECT column_name FROM information_schema.columns WHERE table_name = 'items_texts'`,
    )
    expect(
      rows.map((row) => row.column_name),
      "Payload's Postgres layout for hasMany text fields (the <table>_texts table) changed",
    ).toEqual(expect.arrayContaining(['parent_id', 'path', 'text', 'order']))
  })

  it("should read an item's tags from items_texts in their order", async () => {
    const category = await createCategory()
    const item = await payload.create({
      collection: collectionSlugs.items,
      data: {
        name: uniqueName('Internals item'),
        price: 100,
        category: category.id,
        tags: ['zeta', 'alpha', 'mid'],
        _status: 'published',
      },
    })
    const tags = await readHasManyTexts({
      payload,
      collection: collectionSlugs.items,
      path: 'tags',
      parentIds: [item.id],
    })
    expect(
      tags.get(item.id),
      'Payload\'s Postgres layout for hasMany text fields (parent_id, path, text, "order") changed',
    ).toEqual(['zeta', 'alpha', 'mid'])
    const allTags = await readHasManyTexts({
      payload,
      collection: collectionSlugs.items,
      path: 'tags',
    })
    expect(allTags.get(item.id)).toEqual(['zeta', 'alpha', 'mid'])
  })
})

describe('pools', () => {
  it("should list the adapter's pool first, with pg-pool's connection counts", () => {
    const pools = getPayloadPools(payload)
    expect(pools[0], 'the Postgres adapter no longer keeps its pg pool in db.pool').toBe(
      getPostgresAdapter(payload).pool,
    )
    expect(pools, 'drizzle.$replicas lists replicas although none is configured').toHaveLength(1)
    for (const count of [pools[0].totalCount, pools[0].idleCount, pools[0].waitingCount]) {
      expect(typeof count, 'pg-pool no longer reports totalCount, idleCount, waitingCount').toBe(
        'number',
      )
    }
  })

  it('should close the connection of a client checked out of a pool and never released', async () => {
    const pool = new pg.Pool({ connectionString: databaseUrl() })
    const client = await pool.connect()
    expect(
      Array.isArray((pool as unknown as PostgresPool)._clients),
      "pg-pool no longer lists its clients in the private `_clients`: closePayload can't end them",
    ).toBe(true)
    // pg-pool still counts the ended client as checked out, so `end()` may not settle: closePayload
    // bounds the wait the same way. What matters is that the connection is gone.
    await settlesWithin(endPool(pool as unknown as PostgresPool), 1_000)
    await expect(
      client.query('SELECT 1'),
      'endPool no longer closes checked-out clients (pg-pool `_clients`)',
    ).rejects.toThrow()
  })

  it("should have the adapter's pool construct the class given as its pool.Client option", async () => {
    expect(toPoolClientOption(DatabaseFailureRecordingClient)).toBe(DatabaseFailureRecordingClient)
    const client = await getPostgresAdapter(payload).pool.connect()
    try {
      expect(
        client,
        'the Postgres adapter no longer hands its `pool.Client` option to pg-pool, or pg-pool no longer constructs it',
      ).toBeInstanceOf(DatabaseFailureRecordingClient)
    } finally {
      client.release()
    }
  })
})

describe('instances', () => {
  it('should find the instance getPayload cached under its key', () => {
    expect(
      getCachedPayloadInstances().get('default'),
      'getPayload no longer caches its instances in global._payload',
    ).toBe(payload)
  })
})

describe('sessions', () => {
  it("should name the session a request's user was authenticated with", async () => {
    const editor = await createUser({ payload, role: 'editor' })
    const { token } = await payload.login({
      collection: collectionSlugs.users,
      data: { email: editor.email, password: testPassword },
    })
    const { user } = await payload.auth({ headers: new Headers({ Authorization: `JWT ${token}` }) })
    const sessionId = getAuthenticatedSessionId(user)
    expect(sessionId, "Payload's JWT strategy no longer sets `_sid` on req.user").toEqual(
      expect.any(String),
    )
    const stored = await payload.findByID({ collection: collectionSlugs.users, id: editor.id })
    expect(
      stored.sessions?.map((session) => session.id),
      '`_sid` no longer names one of the sessions Payload stores on the user',
    ).toContain(sessionId)
  })
})

describe('migrations', () => {
  it("should run a Postgres-typed migration with the adapter's db, the instance and a request", async () => {
    const name = `contract_check_${crypto.randomBytes(4).toString('hex')}`
    const up = vi.fn(async ({ db }: MigrateUpArgs) => {
      await db.execute(sql`SELECT 1`)
    })
    try {
      await applyMigrations({ payload, migrations: [{ name, up, down: async () => {} }] })
      expect(up, 'db.migrate no longer runs the migrations it is given').toHaveBeenCalledOnce()
      const [args] = up.mock.calls[0]
      expect(args.payload, 'db.migrate no longer passes `payload` to up()').toBe(payload)
      expect(args.req, 'db.migrate no longer passes `req` to up()').toBeDefined()
    } finally {
      await payload.delete({
        collection: 'payload-migrations',
        where: { name: { equals: name } },
      })
    }
  })
})

describe('hooks a plugin adds', () => {
  it('should wrap only the afterChange hooks past those the collection had', () => {
    const own: CollectionAfterChangeHook = ({ doc }) => doc
    const added: CollectionAfterChangeHook = ({ doc }) => doc
    const collection = { slug: 'posts', fields: [], hooks: { afterChange: [own] } }
    const wrapped = wrapAfterChangeHooksAddedByPlugin({
      before: { collections: [collection] } as never,
      after: {
        collections: [{ ...collection, hooks: { afterChange: [own, added] } }],
      } as never,
      collection: 'posts',
      wrap: (hook) => {
        const wrappedHook: CollectionAfterChangeHook = (args) => hook(args)
        return Object.assign(wrappedHook, { isWrapped: true })
      },
    })
    const hooks = wrapped.collections?.[0].hooks?.afterChange ?? []
    expect(hooks[0]).toBe(own)
    expect((hooks[1] as { isWrapped?: boolean }).isWrapped).toBe(true)
  })
})
