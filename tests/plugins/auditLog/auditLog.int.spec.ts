import { handleEndpoints, type CollectionSlug, type Config } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { auditLogPlugin } from '../../../plugins/auditLog'
import { retentionQueue, retentionTaskSlug } from '../../../plugins/auditLog/defaults'
import {
  createPluginFixture,
  fixturePostsCollection,
  fixtureUsersCollection,
  type PluginFixture,
} from '../pluginFixture'

const fixtureName = 'audit_log'
const posts = 'posts' as CollectionSlug
const users = 'users' as CollectionSlug
const auditLogs = 'audit-logs' as CollectionSlug
const email = 'editor@example.test'
const password = 'the-right-password-1'

/** The fixture's posts plus a field the app asks the plugin to redact. */
const postsWithNote = {
  ...fixturePostsCollection,
  fields: [...fixturePostsCollection.fields, { name: 'internalNote', type: 'text' }],
} satisfies NonNullable<Config['collections']>[number]

type AuditRow = {
  id: number
  action: string
  collection?: string | null
  documentId?: string | null
  actorEmail?: string | null
  ip?: string | null
  changes?: unknown
}

let fixture: PluginFixture

const rowsFor = async (where: Record<string, unknown>): Promise<AuditRow[]> =>
  (
    await fixture.payload.find({
      collection: auditLogs,
      where: where as never,
      sort: 'createdAt',
      pagination: false,
    })
  ).docs as unknown as AuditRow[]

/** A REST login as a browser behind someone's proxy would send it: proxy headers included. */
const restLogin = (body: Record<string, unknown>) =>
  handleEndpoints({
    config: fixture.payload.config,
    request: new Request('http://localhost:3000/api/users/login', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'X-Forwarded-For': '198.51.100.1',
        'X-Real-IP': '198.51.100.2',
      },
      body: JSON.stringify(body),
    }),
    payloadInstanceCacheKey: `plugin-fixture-${fixtureName}`,
  })

beforeAll(async () => {
  fixture = await createPluginFixture({
    name: fixtureName,
    config: {
      collections: [postsWithNote, fixtureUsersCollection],
      // Defaults, except one field of this fixture's schema to redact.
      plugins: [auditLogPlugin({ redactFields: ['internalNote'] })],
    },
  })
  await fixture.payload.create({ collection: users, data: { email, password } as never })
})

afterAll(async () => {
  await fixture?.dispose()
})

describe('auditLogPlugin alone', () => {
  it('should record create, update and delete of a post once each, redacting what it is told to', async () => {
    const post = await fixture.payload.create({
      collection: posts,
      data: { title: 'First', internalNote: 'do not log me' } as never,
    })
    await fixture.payload.update({
      collection: posts,
      id: post.id,
      data: { title: 'Second', internalNote: 'nor me' } as never,
    })
    await fixture.payload.delete({ collection: posts, id: post.id })

    const rows = await rowsFor({
      collection: { equals: 'posts' },
      documentId: { equals: String(post.id) },
    })
    expect(rows.map((row) => row.action)).toEqual(['create', 'update', 'delete'])
    const [created, updated] = rows
    expect(created.changes).toMatchObject({
      snapshot: { title: 'First', internalNote: '[redacted]' },
    })
    expect(updated.changes).toEqual({
      fields: [{ path: 'title', before: 'First', after: 'Second' }],
    })
    expect(JSON.stringify(rows)).not.toMatch(/do not log me|nor me/)
  })

  it("should keep Payload's auth secrets out of a new user's snapshot", async () => {
    const user = await fixture.payload.create({
      collection: users,
      data: { email: 'second@example.test', password } as never,
    })
    const [row] = await rowsFor({
      collection: { equals: 'users' },
      documentId: { equals: String(user.id) },
    })
    expect(row.action).toBe('create')
    expect(JSON.stringify(row.changes)).not.toContain(password)
  })

  it('should record REST logins and failed logins, with no IP when none is trusted', async () => {
    expect((await restLogin({ email, password })).status).toBe(200)
    expect((await restLogin({ email, password: 'a-wrong-guess' })).status).toBe(401)
    const rows = await rowsFor({ action: { in: ['login', 'login-failed'] } })
    expect(rows.map((row) => [row.action, row.actorEmail])).toEqual([
      ['login', email],
      ['login-failed', email],
    ])
    // Proxy headers are anyone's to send: without getClientIp the plugin trusts none of them.
    expect(rows.map((row) => row.ip ?? null)).toEqual([null, null])
    expect(JSON.stringify(rows)).not.toContain('a-wrong-guess')
  })

  it('should refuse writes to the log through the API', async () => {
    await expect(
      fixture.payload.create({
        collection: auditLogs,
        data: { action: 'create' } as never,
        overrideAccess: false,
      }),
    ).rejects.toThrow()
  })

  it('should prune rows past the retention period from its scheduled Payload job', async () => {
    const task = fixture.payload.config.jobs.tasks?.find((t) => t.slug === retentionTaskSlug)
    expect(task?.schedule).toEqual([{ cron: '17 */6 * * *', queue: retentionQueue }])
    const [old] = await rowsFor({ action: { equals: 'create' } })
    const longAgo = new Date(Date.now() - 400 * 24 * 60 * 60 * 1000).toISOString()
    await fixture.payload.db.updateOne({
      collection: auditLogs,
      id: old.id,
      data: { createdAt: longAgo },
    })
    const before = (await rowsFor({})).length
    await fixture.payload.jobs.queue({
      task: retentionTaskSlug as never,
      queue: retentionQueue,
      input: {} as never,
    })
    await fixture.payload.jobs.run({ queue: retentionQueue })
    const remaining = await rowsFor({})
    expect(remaining.map((row) => row.id)).not.toContain(old.id)
    expect(remaining).toHaveLength(before - 1)
  })
})
