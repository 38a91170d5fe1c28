import type { Payload } from 'payload'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { collectionSlugs } from '../../collections/slugs'
import type { AuditLog, User } from '../../payload-types'
import { pruneAuditLogs } from '../../plugins/auditLog'
import { getEnv } from '../../src/config/env'
import { clientIpHeader } from '../../src/server/observability/requestId'
import { graphql, loginToken, rest } from '../helpers/http'
import { closePayload, createUser, initPayload, testPassword, uniqueName } from '../helpers/payload'

let payload: Payload
let admin: User
let adminToken: string
let database: pg.Client

const auditSlug = 'audit-logs'
const headersFrom = (requestId: string) => ({
  'X-Request-Id': requestId,
  [clientIpHeader]: '203.0.113.7',
  'User-Agent': 'audit-test/1.0',
})

const rowsFor = async (where: Record<string, unknown>): Promise<AuditLog[]> =>
  (
    await payload.find({
      collection: auditSlug,
      where: where as never,
      sort: 'createdAt',
      pagination: false,
      overrideAccess: true,
    })
  ).docs as AuditLog[]

beforeAll(async () => {
  payload = await initPayload()
  admin = await createUser({ payload, role: 'admin' })
  adminToken = await loginToken(admin.email, testPassword)
  database = new pg.Client({ connectionString: getEnv().DATABASE_URL })
  await database.connect()
})

afterAll(async () => {
  await database.end()
  await closePayload(payload)
})

describe('audit rows for content changes', () => {
  it('should record create, update, publish, unpublish and delete once each, with actor, ip and request id', async () => {
    const create = await rest('POST', '/api/categories', {
      token: adminToken,
      headers: headersFrom('audit-create-0001'),
      body: { name: uniqueName('Audited'), _status: 'draft' },
    })
    const { doc } = (await create.json()) as { doc: { id: number } }
    const documentId = String(doc.id)
    for (const [requestId, body] of [
      ['audit-update-0002', { description: 'first text' }],
      ['audit-publish-0003', { _status: 'published' }],
      ['audit-unpublish-0004', { _status: 'draft' }],
    ] as const) {
      const response = await rest('PATCH', `/api/categories/${doc.id}`, {
        token: adminToken,
        headers: headersFrom(requestId),
        body,
      })
      expect(response.status).toBe(200)
    }
    await rest('DELETE', `/api/categories/${doc.id}`, {
      token: adminToken,
      headers: headersFrom('audit-delete-0005'),
    })

    const rows = await rowsFor({
      collection: { equals: 'categories' },
      documentId: { equals: documentId },
    })
    expect(rows.map((row) => [row.action, row.requestId])).toEqual([
      ['create', 'audit-create-0001'],
      ['update', 'audit-update-0002'],
      ['publish', 'audit-publish-0003'],
      ['unpublish', 'audit-unpublish-0004'],
      ['delete', 'audit-delete-0005'],
    ])
    for (const row of rows) {
      expect(row).toMatchObject({
        actorId: String(admin.id),
        actorEmail: admin.email,
        actorRole: 'admin',
        ip: '203.0.113.7',
        userAgent: 'audit-test/1.0',
      })
    }
    expect(rows[1].changes).toEqual({
      fields: [{ path: 'description', before: null, after: 'first text' }],
    })
    expect((rows[0].changes as { snapshot: { name: string } }).snapshot.name).toMatch(/^Audited/)
    expect((rows[4].changes as { snapshot: { description: string } }).snapshot.description).toBe(
      'first text',
    )
  })

  it('should record saving a draft of a published document as draft-save, not unpublish', async () => {
    const create = await rest('POST', '/api/categories', {
      token: adminToken,
      body: { name: uniqueName('Live'), description: 'published text', _status: 'published' },
    })
    const { doc } = (await create.json()) as { doc: { id: number } }
    for (const [requestId, query, body] of [
      ['audit-draft-save-0021', '?draft=true', { description: 'first draft' }],
      ['audit-draft-save-0022', '?draft=true', { description: 'second draft' }],
      ['audit-unpublish-0023', '', { _status: 'draft' }],
    ] as const) {
      const response = await rest('PATCH', `/api/categories/${doc.id}${query}`, {
        token: adminToken,
        headers: headersFrom(requestId),
        body,
      })
      expect(response.status).toBe(200)
      if (requestId === 'audit-draft-save-0022') {
        // Still live, unchanged, for anonymous readers.
        const live = await rest('GET', `/api/categories/${doc.id}`)
        expect(((await live.json()) as { description: string }).description).toBe('published text')
      }
    }
    const rows = await rowsFor({
      collection: { equals: 'categories' },
      documentId: { equals: String(doc.id) },
    })
    expect(rows.map((row) => [row.action, row.requestId])).toEqual([
      ['publish', null],
      ['draft-save', 'audit-draft-save-0021'],
      ['draft-save', 'audit-draft-save-0022'],
      ['unpublish', 'audit-unpublish-0023'],
    ])
    expect((rows[1].changes as { fields: unknown[] }).fields).toContainEqual({
      path: 'description',
      before: 'published text',
      after: 'first draft',
    })
  })

  it('should record restoring an earlier version as restore', async () => {
    const category = await payload.create({
      collection: collectionSlugs.categories,
      data: { name: uniqueName('Restorable'), description: 'version one', _status: 'published' },
    })
    await payload.update({
      collection: collectionSlugs.categories,
      id: category.id,
      data: { description: 'version two' },
    })
    const { docs } = await payload.findVersions({
      collection: collectionSlugs.categories,
      where: { parent: { equals: category.id }, 'version.description': { equals: 'version one' } },
    })
    await payload.restoreVersion({ collection: collectionSlugs.categories, id: docs[0].id })
    const rows = await rowsFor({
      collection: { equals: 'categories' },
      documentId: { equals: String(category.id) },
    })
    expect(rows.map((row) => row.action)).toEqual(['publish', 'update', 'restore'])
    expect((rows[2].changes as { fields: unknown[] }).fields).toContainEqual({
      path: 'description',
      before: 'version two',
      after: 'version one',
    })
  })

  it('should record global changes with a field diff', async () => {
    const response = await rest('POST', '/api/globals/site-settings', {
      token: adminToken,
      headers: headersFrom('audit-global-0006'),
      body: { siteName: 'Audited shop' },
    })
    expect(response.status).toBe(200)
    const [row] = await rowsFor({ requestId: { equals: 'audit-global-0006' } })
    expect(row).toMatchObject({ action: 'update', global: 'site-settings' })
    expect((row.changes as { fields: { path: string; after: unknown }[] }).fields).toContainEqual(
      expect.objectContaining({ path: 'siteName', after: 'Audited shop' }),
    )
  })
})

describe('audit rows for accounts', () => {
  it('should record logins, failed logins and logouts, never the password', async () => {
    const user = await createUser({ payload, role: 'editor' })
    const wrong = 'wrong-password-in-audit-test'
    const failed = await rest('POST', '/api/users/login', {
      headers: headersFrom('audit-login-failed-07'),
      body: { email: user.email, password: wrong },
    })
    expect(failed.status).toBe(401)
    const login = await rest('POST', '/api/users/login', {
      headers: headersFrom('audit-login-0008'),
      body: { email: user.email, password: testPassword },
    })
    const { token } = (await login.json()) as { token: string }
    await rest('POST', '/api/users/logout', { token, headers: headersFrom('audit-logout-0009') })

    const rows = await rowsFor({
      requestId: { in: ['audit-login-failed-07', 'audit-login-0008', 'audit-logout-0009'] },
    })
    expect(rows.map((row) => [row.action, row.actorEmail])).toEqual([
      ['login-failed', user.email],
      ['login', user.email],
      ['logout', user.email],
    ])
    const everything = JSON.stringify(await rowsFor({}))
    expect(everything).not.toContain(wrong)
    expect(everything).not.toContain(testPassword)
  })

  it('should record a failed GraphQL login like a failed REST login, never the password', async () => {
    const user = await createUser({ payload, role: 'editor' })
    const wrong = 'wrong-graphql-password-in-audit-test'
    const failed = await graphql(
      `
        mutation ($email: String!, $password: String!) {
          loginUser(email: $email, password: $password) {
            token
          }
        }
      `,
      {
        variables: { email: user.email, password: wrong },
        headers: headersFrom('audit-gql-fail-12'),
      },
    )
    expect(failed.status).toBe(401)
    const rows = await rowsFor({ requestId: { equals: 'audit-gql-fail-12' } })
    expect(rows.map((row) => [row.action, row.actorEmail, row.ip, row.collection])).toEqual([
      ['login-failed', user.email, '203.0.113.7', 'users'],
    ])
    expect(rows[0].changes).toEqual({ reason: 'invalid credentials' })
    expect(JSON.stringify(rows)).not.toContain(wrong)
  })

  it('should record an admin unlocking an account, and a login refused while it was locked', async () => {
    const user = await createUser({ payload, role: 'editor' })
    // A lock left by an earlier release, whose lockout was on.
    await database.query(
      `UPDATE users SET lock_until = now() + interval '10 minutes', login_attempts = 10 WHERE id = $1`,
      [user.id],
    )
    const locked = await rest('POST', '/api/users/login', {
      headers: headersFrom('audit-locked-00013'),
      body: { email: user.email, password: testPassword },
    })
    expect(locked.status).toBe(401)
    const editor = await createUser({ payload, role: 'editor' })
    const byEditor = await rest('POST', '/api/users/unlock', {
      token: await loginToken(editor.email, testPassword),
      headers: headersFrom('audit-unlock-den-14'),
      body: { email: user.email },
    })
    expect(byEditor.status).toBe(403)
    const unlock = await rest('POST', '/api/users/unlock', {
      token: adminToken,
      headers: headersFrom('audit-unlock-0015'),
      body: { email: user.email },
    })
    expect(unlock.status).toBe(200)
    expect(
      (
        await rest('POST', '/api/users/login', {
          body: { email: user.email, password: testPassword },
        })
      ).status,
    ).toBe(200)

    const rows = await rowsFor({
      requestId: { in: ['audit-locked-00013', 'audit-unlock-den-14', 'audit-unlock-0015'] },
    })
    expect(rows.map((row) => [row.action, row.requestId, row.actorEmail, row.documentId])).toEqual([
      ['login-failed', 'audit-locked-00013', user.email, null],
      ['unlock', 'audit-unlock-0015', admin.email, String(user.id)],
    ])
    expect(rows[0].changes).toEqual({ reason: 'locked' })
  })

  it('should record password and role changes as such, with the secrets redacted', async () => {
    const user = await createUser({ payload, role: 'editor' })
    await rest('PATCH', `/api/users/${user.id}`, {
      token: adminToken,
      headers: headersFrom('audit-password-0010'),
      body: { password: 'a-brand-new-password-42' },
    })
    await rest('PATCH', `/api/users/${user.id}`, {
      token: adminToken,
      headers: headersFrom('audit-role-change-11'),
      body: { role: 'admin' },
    })
    const [password] = await rowsFor({ requestId: { equals: 'audit-password-0010' } })
    const [role] = await rowsFor({ requestId: { equals: 'audit-role-change-11' } })
    expect(password.action).toBe('password-change')
    expect(JSON.stringify(password)).not.toContain('a-brand-new-password-42')
    expect(role.action).toBe('role-change')
    expect((role.changes as { fields: unknown[] }).fields).toContainEqual({
      path: 'role',
      before: 'editor',
      after: 'admin',
    })
    const { rows } = await database.query(`SELECT changes::text AS changes FROM audit_logs`)
    for (const row of rows as { changes: string | null }[]) {
      expect(row.changes ?? '').not.toMatch(/"(hash|salt|resetPasswordToken)":"(?!\[redacted\])/)
    }
  })
})

describe('the audit log is immutable', () => {
  let row: AuditLog

  beforeAll(async () => {
    ;[row] = await rowsFor({ action: { equals: 'create' } })
  })

  it('should refuse create, update and delete through REST, even for admins', async () => {
    expect(
      (await rest('POST', `/api/${auditSlug}`, { token: adminToken, body: { action: 'create' } }))
        .status,
    ).toBe(403)
    expect(
      (
        await rest('PATCH', `/api/${auditSlug}/${row.id}`, {
          token: adminToken,
          body: { action: 'delete' },
        })
      ).status,
    ).toBe(403)
    expect(
      (await rest('DELETE', `/api/${auditSlug}/${row.id}`, { token: adminToken })).status,
    ).toBe(403)
  })

  it('should refuse mutations through GraphQL', async () => {
    const update = await graphql(
      `mutation { updateAuditLog(id: ${row.id}, data: { summary: "forged" }) { id } }`,
      {
        token: adminToken,
      },
    )
    const remove = await graphql(`mutation { deleteAuditLog(id: ${row.id}) { id } }`, {
      token: adminToken,
    })
    for (const response of [update, remove]) {
      const body = (await response.json()) as { errors?: { message: string }[] }
      expect(body.errors?.[0]?.message).toMatch(/not allowed/i)
    }
  })

  it('should refuse the Local API without overrideAccess', async () => {
    await expect(
      payload.update({
        collection: auditSlug,
        id: row.id,
        data: { summary: 'forged' } as never,
        overrideAccess: false,
        user: admin,
      }),
    ).rejects.toMatchObject({ status: 403 })
    await expect(
      payload.delete({ collection: auditSlug, id: row.id, overrideAccess: false, user: admin }),
    ).rejects.toMatchObject({ status: 403 })
    const after = await payload.findByID({
      collection: auditSlug,
      id: row.id,
      overrideAccess: true,
    })
    expect(after.summary).toBe(row.summary)
  })

  it('should let admins read it and keep editors out', async () => {
    expect((await rest('GET', `/api/${auditSlug}?limit=1`, { token: adminToken })).status).toBe(200)
    const editor = await createUser({ payload, role: 'editor' })
    const editorToken = await loginToken(editor.email, testPassword)
    expect((await rest('GET', `/api/${auditSlug}?limit=1`, { token: editorToken })).status).toBe(
      403,
    )
  })
})

describe('atomicity and retention', () => {
  it('should roll the change back when its audit row cannot be written', async () => {
    const category = await payload.create({
      collection: collectionSlugs.categories,
      data: { name: uniqueName('Atomic'), description: 'original', _status: 'published' },
    })
    // A real database failure for exactly this document's audit rows.
    await database.query(
      `ALTER TABLE audit_logs ADD CONSTRAINT audit_test_block CHECK (document_id IS DISTINCT FROM '${category.id}') NOT VALID`,
    )
    try {
      const response = await rest('PATCH', `/api/categories/${category.id}`, {
        token: adminToken,
        body: { description: 'changed' },
      })
      expect(response.status).toBeGreaterThanOrEqual(400)
    } finally {
      await database.query('ALTER TABLE audit_logs DROP CONSTRAINT audit_test_block')
    }
    const read = await payload.findByID({ collection: collectionSlugs.categories, id: category.id })
    expect(read.description).toBe('original')
  })

  it('should prune rows older than the retention period and keep newer ones', async () => {
    const [old, recent] = await rowsFor({ action: { in: ['update', 'publish'] } })
    await database.query(
      `UPDATE audit_logs SET created_at = now() - interval '400 days' WHERE id = $1`,
      [old.id],
    )
    expect(await pruneAuditLogs({ payload, auditSlug, retentionDays: 365 })).toBe(true)
    const remaining = (await rowsFor({ id: { in: [old.id, recent.id] } })).map((row) => row.id)
    expect(remaining).toEqual([recent.id])
  })

  it('should let only one replica prune at a time', async () => {
    const results = await Promise.all(
      [1, 2, 3].map(() => pruneAuditLogs({ payload, auditSlug, retentionDays: 365 })),
    )
    expect(results.filter(Boolean).length).toBeGreaterThanOrEqual(1)
  })

  it('should not audit seeds and bulk jobs that opt out', async () => {
    const name = uniqueName('Seeded quietly')
    const category = await payload.create({
      collection: collectionSlugs.categories,
      data: { name, _status: 'published' },
      context: { disableAudit: true },
    })
    expect(
      await rowsFor({
        documentId: { equals: String(category.id) },
        collection: { equals: 'categories' },
      }),
    ).toEqual([])
  })
})
