import { parse } from 'csv-parse/sync'
import type { CollectionSlug } from 'payload'
import { describe, expect, it } from 'vitest'

import { collectionSlugs } from '../../collections/slugs'
import { waitForChangesDelivered } from '../../plugins/responseCache'
import type { Category, Item } from '../../payload-types'
import { importExportSlugs, importExportTaskSlugs } from '../../src/config/editorial/importExport'
import { setupApiServer } from '../helpers/apiServer'
import { uniqueName } from '../helpers/payload'
import { decodeBody } from '../helpers/rawHttp'
import { setupEditorSession } from '../helpers/session'

/**
 * CSV and JSON import and export of the catalog over HTTP, through the app server in front of the
 * real route handlers: who may, what an import writes and reports, what an export contains, and
 * bad files refused before anything is written. Import jobs are run here explicitly (no runner
 * runs in the test processes), as a replica's runner would run them.
 */
const session = setupEditorSession()
const server = setupApiServer()

type ImportDoc = {
  id: number
  status: string
  summary?: {
    imported?: number
    updated?: number
    total?: number
    issues?: number
    issueDetails?: { row: number; column: string; error: string }[]
  }
}

const auditSlug = 'audit-logs' as CollectionSlug

const authorization = (token?: string): Record<string, string> =>
  token ? { Authorization: `JWT ${token}` } : {}

type UploadArgs = {
  token?: string
  content: string | Buffer
  filename?: string
  mimeType?: string
  data?: Record<string, unknown>
}

const uploadImport = ({
  token = session.token,
  content,
  filename = 'catalog.csv',
  mimeType = 'text/csv',
  data = {},
}: UploadArgs) => {
  const form = new FormData()
  const bytes = typeof content === 'string' ? Buffer.from(content) : content
  form.append('file', new Blob([new Uint8Array(bytes)], { type: mimeType }), filename)
  form.append(
    '_payload',
    JSON.stringify({ collectionSlug: collectionSlugs.items, importMode: 'create', ...data }),
  )
  return fetch(`${server.url}/api/${importExportSlugs.imports}`, {
    method: 'POST',
    headers: authorization(token),
    body: form,
  })
}

/** Runs the queued job of an import, as a runner would, and returns the finished import. */
const runImport = async (importId: number): Promise<ImportDoc> => {
  const { docs: jobs } = await session.payload.find({
    collection: 'payload-jobs',
    where: { taskSlug: { equals: importExportTaskSlugs.import } },
    pagination: false,
    depth: 0,
  })
  const ours = jobs.filter(
    (job) => String((job.input as { importId?: unknown }).importId) === String(importId),
  )
  expect(ours).toHaveLength(1)
  await session.payload.jobs.runByID({ id: ours[0].id })
  const finished = (await session.payload.findByID({
    collection: importExportSlugs.imports,
    id: importId,
    depth: 0,
  })) as unknown as ImportDoc
  expect(await waitForChangesDelivered(session.payload)).toBe(true)
  return finished
}

/** Uploads as the editor, expects it accepted, runs its job. */
const importFile = async (args: UploadArgs): Promise<ImportDoc> => {
  const response = await uploadImport(args)
  const body = (await response.json()) as { doc: ImportDoc }
  expect(response.status, JSON.stringify(body)).toBe(201)
  expect(body.doc.status).toBe('pending')
  return runImport(body.doc.id)
}

const createCategory = async (): Promise<Category> =>
  session.payload.create({
    collection: collectionSlugs.categories,
    data: { name: uniqueName('Imported into'), _status: 'published' },
  })

const createItem = async (category: Category, data: Partial<Item> = {}): Promise<Item> =>
  (await session.payload.create({
    collection: collectionSlugs.items,
    data: {
      name: uniqueName('Existing'),
      price: 100,
      category: category.id,
      _status: 'published',
      ...data,
    },
  })) as Item

const itemsOf = async (category: Category) =>
  (
    await session.payload.find({
      collection: collectionSlugs.items,
      where: { category: { equals: category.id } },
      pagination: false,
      depth: 0,
      sort: 'id',
      draft: true,
    })
  ).docs.map(({ id, name, slug, price, updatedAt }) => ({ id, name, slug, price, updatedAt }))

const editorId = async () =>
  (
    await session.payload.find({
      collection: collectionSlugs.users,
      where: { email: { equals: session.email } },
      depth: 0,
    })
  ).docs[0].id

const csvOf = (rows: (string | number)[][]) =>
  rows
    .map((row) =>
      row
        .map((cell) =>
          /[",\n\r]/.test(String(cell)) ? `"${String(cell).replace(/"/g, '""')}"` : cell,
        )
        .join(','),
    )
    .join('\n')

describe('importing a CSV', () => {
  it('should write the good rows, report each bad row with its row, column and reason, and change nothing else', async () => {
    const category = await createCategory()
    const untouched = await createItem(category)
    const before = await itemsOf(category)
    const good = uniqueName('Imported')
    const finished = await importFile({
      content: csvOf([
        ['name', 'price', 'category'],
        [good, 1999, category.id],
        [uniqueName('Bad price'), 'not-a-price', category.id],
        [uniqueName('Unknown category'), 500, 999_999_999],
        ['', 500, category.id],
      ]),
    })
    expect(finished.status).toBe('partial')
    expect(finished.summary).toMatchObject({ imported: 1, updated: 0, issues: 3, total: 4 })
    const issues = finished.summary?.issueDetails ?? []
    expect(issues.map(({ row, column }) => ({ row, column }))).toEqual([
      { row: 2, column: 'price' },
      { row: 3, column: 'category' },
      // Without a name there is nothing to make the slug from either.
      { row: 4, column: 'name, slug' },
    ])
    // The reasons are the collection's own validation messages, as for any API write.
    expect(issues.map((issue) => issue.error)).toEqual([
      'price: Enter a price in minor units.',
      'category: There is no categories document with id 999999999.',
      'name: This field is required.; slug: Enter a slug: the name has no letters or digits to generate one from.',
    ])

    const after = await itemsOf(category)
    const created = after.filter((item) => !before.some((old) => old.id === item.id))
    expect(created).toMatchObject([{ name: good, price: 1999 }])
    expect(after.filter((item) => item.id !== created[0].id)).toEqual(before)
    expect(before.map((item) => item.id)).toEqual([untouched.id])
  })

  it('should update by slug and by id, and upsert, with the editor as the actor of every change', async () => {
    const category = await createCategory()
    const bySlug = await createItem(category, { price: 100 })
    const byId = await createItem(category, { price: 200 })
    const newSlug = `new-${Date.now().toString(36)}`

    const upserted = await importFile({
      data: { importMode: 'upsert', matchField: 'slug' },
      content: csvOf([
        ['slug', 'name', 'price', 'category'],
        [bySlug.slug as string, bySlug.name, 150, category.id],
        [newSlug, uniqueName('Upserted'), 300, category.id],
      ]),
    })
    expect(upserted.summary).toMatchObject({ imported: 1, updated: 1, issues: 0 })
    expect(upserted.status).toBe('completed')

    const renamed = uniqueName('Renamed')
    const updated = await importFile({
      data: { importMode: 'update', matchField: 'id' },
      content: csvOf([
        ['id', 'name'],
        [byId.id, renamed],
        [999_999_999, 'Nobody'],
      ]),
    })
    expect(updated.summary).toMatchObject({ imported: 0, updated: 1, issues: 1 })
    expect(updated.summary?.issueDetails?.[0]).toMatchObject({
      row: 2,
      column: 'id',
      error: 'id: no document has id "999999999"',
    })

    const items = await itemsOf(category)
    expect(items.find((item) => item.id === bySlug.id)?.price).toBe(150)
    expect(items.find((item) => item.id === byId.id)).toMatchObject({ name: renamed, price: 200 })
    const created = items.find((item) => item.slug === newSlug)
    expect(created?.price).toBe(300)

    const actor = await editorId()
    const { docs: rows } = await session.payload.find({
      collection: auditSlug,
      where: {
        collection: { equals: collectionSlugs.items },
        documentId: { in: [String(bySlug.id), String(byId.id), String(created?.id)] },
        actorId: { equals: String(actor) },
      },
      pagination: false,
      depth: 0,
    })
    const audited = new Set(rows.map((row) => String((row as { documentId?: unknown }).documentId)))
    expect(audited).toEqual(new Set([String(bySlug.id), String(byId.id), String(created?.id)]))
  })

  it('should make a cached anonymous read of the items fresh', async () => {
    const category = await createCategory()
    await createItem(category)
    expect(await waitForChangesDelivered(session.payload)).toBe(true)
    const path = `/api/items?where[category][equals]=${category.id}&depth=0`
    await server.read(path)
    const cached = await server.read(path)
    expect(cached.headers['x-cache']).toBe('HIT')

    const name = uniqueName('Fresh')
    await importFile({
      content: csvOf([
        ['name', 'price', 'category'],
        [name, 10, category.id],
      ]),
    })
    const fresh = await server.read(path)
    expect(fresh.status).toBe(200)
    const { docs } = JSON.parse(decodeBody(fresh).toString('utf8')) as { docs: Item[] }
    expect(docs.map((doc) => doc.name)).toContain(name)
  })
})

describe('exporting', () => {
  const formulaNames = ['=HYPERLINK("http://x")', '+1', '@SUM(1)', '-2+3', '\tTabbed', '\rReturned']

  const download = (body: unknown, token: string | undefined = session.token) =>
    fetch(`${server.url}/api/${importExportSlugs.exports}/download`, {
      method: 'POST',
      headers: { ...authorization(token), 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    })

  /** The items of one category, exported by the editor. */
  const exportItemsOf = (category: Category, format: 'csv' | 'json') =>
    download({
      data: {
        collectionSlug: collectionSlugs.items,
        format,
        where: { category: { equals: category.id } },
      },
    })

  it('should export only the filtered rows as CSV, with formula cells neutralised', async () => {
    const category = await createCategory()
    const other = await createCategory()
    const suffix = Date.now().toString(36)
    for (const name of formulaNames) await createItem(category, { name: `${name} ${suffix}` })
    await createItem(category, { name: `Plain ${suffix}` })
    await createItem(other, { name: `Elsewhere ${suffix}` })

    const response = await exportItemsOf(category, 'csv')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/)
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.csv"$/)
    const rows = parse(Buffer.from(await response.arrayBuffer()), {
      bom: true,
      columns: true,
      relax_quotes: true,
    }) as Record<string, string>[]
    expect(rows.map((row) => row.name).sort()).toEqual(
      [...formulaNames.map((name) => `'${name} ${suffix}`), `Plain ${suffix}`].sort(),
    )
    for (const row of rows) expect(row.price).toBe('100')
  })

  it('should import an exported CSV back unchanged, sent as Excel on Windows sends it', async () => {
    const category = await createCategory()
    const suffix = Date.now().toString(36)
    for (const name of formulaNames) await createItem(category, { name: `${name} ${suffix}` })
    await createItem(category, { name: `'=already quoted ${suffix}` })
    const before = await itemsOf(category)

    const exported = await exportItemsOf(category, 'csv')
    expect(exported.status).toBe(200)
    const finished = await importFile({
      content: Buffer.from(await exported.arrayBuffer()),
      filename: 'export.csv',
      mimeType: 'application/vnd.ms-excel',
      data: { importMode: 'update', matchField: 'id' },
    })
    expect(finished.summary?.issueDetails ?? []).toEqual([])
    expect(finished.summary?.updated).toBe(before.length)
    const after = await itemsOf(category)
    expect(after.map(({ id, name, price }) => ({ id, name, price }))).toEqual(
      before.map(({ id, name, price }) => ({ id, name, price })),
    )
  })

  it('should export JSON as data, unchanged', async () => {
    const category = await createCategory()
    const name = `=1+1 ${Date.now().toString(36)}`
    await createItem(category, { name })
    const response = await exportItemsOf(category, 'json')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^application\/json/)
    const docs = (await response.json()) as { name: string }[]
    expect(docs.map((doc) => doc.name)).toEqual([name])
  })

  it('should refuse anonymous callers and collections outside the catalog', async () => {
    const request = { data: { collectionSlug: collectionSlugs.items, format: 'csv' } }
    const anonymous = await download(request, '')
    expect(anonymous.status).toBe(401)
    expect(await anonymous.text()).not.toMatch(/\n/)
    for (const collectionSlug of ['users', 'audit-logs', 'no-such-collection']) {
      const response = await download({ data: { collectionSlug, format: 'csv' } })
      expect(response.status, collectionSlug).toBe(400)
    }
    const created = await fetch(`${server.url}/api/${importExportSlugs.exports}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ collectionSlug: collectionSlugs.items, format: 'csv' }),
    })
    expect([401, 403]).toContain(created.status)
  })
})

describe('bad input', () => {
  const countOf = async (collection: CollectionSlug) =>
    (await session.payload.count({ collection, overrideAccess: true })).totalDocs

  const expectRefused = async (args: UploadArgs, statuses: number[]) => {
    const before = {
      imports: await countOf(importExportSlugs.imports),
      jobs: await countOf('payload-jobs'),
      items: await countOf(collectionSlugs.items),
    }
    const response = await uploadImport(args)
    const text = await response.text()
    expect(statuses, text).toContain(response.status)
    expect(text).toMatch(/"errors"/)
    expect({
      imports: await countOf(importExportSlugs.imports),
      jobs: await countOf('payload-jobs'),
      items: await countOf(collectionSlugs.items),
    }).toEqual(before)
  }

  it('should refuse a malformed CSV with a 400', async () => {
    await expectRefused({ content: 'name,price\n"unclosed,100\n' }, [400])
    await expectRefused({ content: 'name,price\nTea,100,surplus\n' }, [400])
    await expectRefused(
      { content: '{"name":', filename: 'catalog.json', mimeType: 'application/json' },
      [400],
    )
  })

  it('should refuse a collection outside the catalog and an unknown one with a 400', async () => {
    for (const collectionSlug of ['users', 'no-such-collection']) {
      await expectRefused({ content: 'name\nTea\n', data: { collectionSlug } }, [400])
    }
    await expectRefused(
      { content: 'name\nTea\n', data: { importMode: 'update', matchField: 'price' } },
      [400],
    )
  })

  it('should refuse a file that is neither CSV nor JSON', async () => {
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
      'base64',
    )
    await expectRefused({ content: png, filename: 'photo.png', mimeType: 'image/png' }, [400, 415])
    await expectRefused(
      { content: 'name\nTea\n', filename: 'notes.txt', mimeType: 'text/plain' },
      [400, 415],
    )
  })

  it('should refuse a file over the size limit with a 413', async () => {
    const big = `name,price\n${`${'x'.repeat(99)},1\n`.repeat(60_000)}`
    await expectRefused({ content: big }, [413])
  })

  it('should refuse anonymous uploads', async () => {
    const response = await uploadImport({ token: '', content: 'name\nTea\n' })
    expect([401, 403]).toContain(response.status)
  })
})
