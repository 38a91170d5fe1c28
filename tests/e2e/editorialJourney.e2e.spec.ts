import fs from 'node:fs/promises'

import { parse } from 'csv-parse/sync'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, inject, it } from 'vitest'

import { collectionSlugs } from '../../collections/slugs'
import { importExportSlugs } from '../../src/config/editorial/importExport'
import { draftModeCookieName, previewStartUrl } from '../../src/preview/previewRoutes'
import { logInToAdmin, setupBrowserPage } from '../helpers/browser'
import { waitUntil } from '../helpers/waitUntil'
import '../setup/providedContext'

/**
 * Issue #17's editorial journey in a real browser, against the production build with its job
 * runner on: export a CSV from a list, import it back changed, schedule a publish and see it go
 * live, and the live preview of a draft. The scheduled publish is set first and checked last, so
 * the wait for its minute (the admin's picker has no seconds) overlaps the other steps.
 */
const context = inject('testContext')
const appUrl = context.appUrl as string

const suffix = Date.now().toString(36)
const session = setupBrowserPage()

type Doc = { id: number; name: string; price: number; _status: string; updatedAt: string }

let adminToken: string

/** The app's REST API, as the admin when `isSignedIn`, else as an anonymous reader. */
const api = async <T = Doc>(
  path: string,
  {
    method = 'GET',
    body,
    isSignedIn = true,
  }: { method?: string; body?: unknown; isSignedIn?: boolean } = {},
): Promise<{ status: number; body: T }> => {
  const response = await fetch(`${appUrl}${path}`, {
    method,
    headers: {
      ...(isSignedIn ? { Authorization: `JWT ${adminToken}` } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return { status: response.status, body: (await response.json()) as T }
}

const create = async (collection: string, data: Record<string, unknown>): Promise<Doc> => {
  const isDraft = data._status === 'draft'
  const { status, body } = await api<{ doc: Doc }>(
    `/api/${collection}${isDraft ? '?draft=true' : ''}`,
    { method: 'POST', body: data },
  )
  expect(status).toBe(201)
  return body.doc
}

/** One cell per value, quoted as RFC 4180 asks when it holds a comma, a quote or a line break. */
const toCsv = (rows: string[][]): string =>
  rows
    .map((row) =>
      row
        .map((cell) => (/[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell))
        .join(','),
    )
    .join('\n')

/** The list view's ⋯ menu, then one of its entries (the import/export plugin's). */
const openListMenuEntry = async (page: Page, entry: string) => {
  await page.getByRole('button', { name: 'More options' }).click()
  await page.locator('.popup__content').getByText(entry, { exact: true }).click()
  const drawer = page.locator('.drawer__content').last()
  await drawer.waitFor()
  return drawer
}

// The journey's documents: two published items to export and import (a category of their own,
// so the export is exactly them), a draft to schedule, and a published item with a newer draft
// to preview. Made over REST: the browser steps are what this file is about.
let exportCategory: Doc
let journeyCategory: Doc
let exported: Doc[]
let scheduled: Doc
let previewed: Doc
const previewedNames = {
  published: `Preview Published ${suffix}`,
  draft: `Preview Draft ${suffix}`,
  edited: `Preview Edited ${suffix}`,
}
/** The moment the admin's schedule drawer was told to publish `scheduled`. */
let scheduledAt: Date
let csv: string

beforeAll(async () => {
  const login = await fetch(`${appUrl}/api/users/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: context.adminEmail, password: context.adminPassword }),
  })
  adminToken = ((await login.json()) as { token: string }).token
  exportCategory = await create(collectionSlugs.categories, {
    name: `Export Category ${suffix}`,
    _status: 'published',
  })
  journeyCategory = await create(collectionSlugs.categories, {
    name: `Journey Category ${suffix}`,
    _status: 'published',
  })
  exported = [
    await create(collectionSlugs.items, {
      name: `Export Lamp ${suffix}`,
      price: 1250,
      category: exportCategory.id,
      _status: 'published',
    }),
    await create(collectionSlugs.items, {
      name: `Export Chair ${suffix}`,
      price: 4900,
      category: exportCategory.id,
      _status: 'published',
    }),
  ]
  scheduled = await create(collectionSlugs.items, {
    name: `Scheduled Item ${suffix}`,
    price: 700,
    category: journeyCategory.id,
    _status: 'draft',
  })
  previewed = await create(collectionSlugs.items, {
    name: previewedNames.published,
    price: 300,
    category: journeyCategory.id,
    _status: 'published',
  })
  const draft = await api(`/api/${collectionSlugs.items}/${previewed.id}?draft=true`, {
    method: 'PATCH',
    body: { name: previewedNames.draft, _status: 'draft' },
  })
  expect(draft.status).toBe(200)
})

describe("an editor's editorial journey in the admin", () => {
  it('should log in as the admin', async () => {
    await logInToAdmin({
      page: session.page,
      appUrl,
      email: context.adminEmail as string,
      password: context.adminPassword as string,
    })
  })

  it("should schedule a draft item's publish for the next minute from the publish button", async () => {
    const { page } = session
    await page.goto(`${appUrl}/admin/collections/items/${scheduled.id}`)
    await page.locator('#field-name').waitFor()
    // The picker takes minutes: the next whole minute at least 10 s away, typed as the picker
    // shows it, in the browser's time zone.
    const typed = await page.evaluate(() => {
      const at = new Date(Math.ceil((Date.now() + 10_000) / 60_000) * 60_000)
      const month = at.toLocaleString('en-US', { month: 'short' })
      const hour = at.getHours() % 12 || 12
      const minute = String(at.getMinutes()).padStart(2, '0')
      const half = at.getHours() < 12 ? 'AM' : 'PM'
      return {
        at: at.toISOString(),
        text: `${month} ${at.getDate()}, ${at.getFullYear()} ${hour}:${minute} ${half}`,
      }
    })
    scheduledAt = new Date(typed.at)

    await page
      .locator('.btn--withPopup', { has: page.locator('#action-save') })
      .locator('.popup-button')
      .click()
    await page.locator('#schedule-publish').click()
    const drawer = page.locator('.schedule-publish')
    // Chosen, not assumed: for a document never published the drawer starts on "Unpublish".
    await drawer.locator('.schedule-publish__type').getByText('Publish', { exact: true }).click()
    await drawer.locator('#time input').fill(typed.text)
    // Closes the date picker's calendar, which covers the drawer's buttons.
    await drawer.locator('h2').first().click()
    await drawer.locator('#scheduled-publish-save').click()
    await drawer.locator('.schedule-publish__upcoming tbody tr').first().waitFor()

    // Queued for that very moment, and not live before it.
    const { body: jobs } = await api<{
      docs: { waitUntil: string; input: { type: string; doc: { value: unknown } } }[]
    }>(`/api/payload-jobs?where[taskSlug][equals]=schedulePublish&limit=100&sort=-createdAt`)
    const job = jobs.docs.find(
      (candidate) => String(candidate.input.doc?.value) === String(scheduled.id),
    )
    expect(job?.input.type).toBe('publish')
    expect(job && new Date(job.waitUntil).toISOString()).toBe(scheduledAt.toISOString())
    const anonymous = await api(`/api/${collectionSlugs.items}/${scheduled.id}`, {
      isSignedIn: false,
    })
    expect(anonymous.status).toBe(404)
  })

  it('should export the filtered items list to CSV from the list menu', async () => {
    const { page } = session
    await page.goto(
      `${appUrl}/admin/collections/items?where[category][equals]=${exportCategory.id}`,
    )
    await page
      .locator('.table tbody tr')
      .nth(exported.length - 1)
      .waitFor()
    const drawer = await openListMenuEntry(page, 'Export Items')
    // The columns offered are the list's; none chosen exports them all, `id` included, which an
    // import matches on.
    await drawer.locator('.fields-to-export .clear-indicator').click()
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      drawer.getByRole('button', { name: 'Download' }).click(),
    ])
    expect(download.suggestedFilename()).toMatch(/\.csv$/)
    csv = await fs.readFile(await download.path(), 'utf8')

    const [header, ...rows] = parse(csv, { bom: true }) as string[][]
    expect(header).toEqual(expect.arrayContaining(['id', 'name', 'slug', 'price', 'category']))
    const records = rows.map((row) =>
      Object.fromEntries(header.map((column, i) => [column, row[i]])),
    )
    expect(
      records
        .map(({ id, name, price }) => ({ id, name, price }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    ).toEqual(
      exported
        .map(({ id, name, price }) => ({ id: String(id), name, price: String(price) }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    )
  })

  it('should import the CSV back with a changed name and price, and show the change to everyone', async () => {
    const { page } = session
    const [header, ...rows] = parse(csv, { bom: true }) as string[][]
    const [lamp] = exported
    const changed = { name: `Imported Lamp ${suffix}`, price: 1575 }
    const changedRows = rows.map((row) =>
      row[header.indexOf('id')] === String(lamp.id)
        ? row.map((cell, i) =>
            header[i] === 'name'
              ? changed.name
              : header[i] === 'price'
                ? String(changed.price)
                : cell,
          )
        : row,
    )
    const filename = `items-${suffix}.csv`

    await page.goto(`${appUrl}/admin/collections/items`)
    const drawer = await openListMenuEntry(page, 'Import Items')
    await drawer.locator('input[type=file]').setInputFiles({
      name: filename,
      mimeType: 'text/csv',
      buffer: Buffer.from(toCsv([header, ...changedRows])),
    })
    await drawer.locator('#field-importMode .rs__control').click()
    await page.locator('.rs__option', { hasText: 'Update existing documents' }).click()
    await expect(drawer.locator('#field-matchField').inputValue()).resolves.toBe('id')
    await drawer.getByRole('button', { name: 'Start Import' }).click()

    // The import runs as a job; its document shows how it went.
    let importId: number | undefined
    await waitUntil(
      'the import document to be saved',
      async () => {
        const { body } = await api<{ docs: { id: number }[] }>(
          `/api/${importExportSlugs.imports}?where[filename][equals]=${filename}`,
        )
        importId = body.docs[0]?.id
        return importId !== undefined
      },
      { timeoutMs: 10_000, intervalMs: 250 },
    )
    await page.goto(`${appUrl}/admin/collections/${importExportSlugs.imports}/${importId}`)
    const status = page.locator('#field-status .rs__single-value')
    await waitUntil(
      'the import to finish',
      async () => {
        if (!(await status.textContent())?.includes('Pending')) return true
        await page.reload()
        return false
      },
      { timeoutMs: 30_000, intervalMs: 1_000 },
    )
    await expect(status.textContent()).resolves.toContain('Completed')
    await expect(page.locator('#field-summary__updated').inputValue()).resolves.toBe('2')
    await expect(page.locator('#field-summary__issues').inputValue()).resolves.toBe('0')

    const after = await api(`/api/${collectionSlugs.items}/${lamp.id}`, { isSignedIn: false })
    expect(after.body).toMatchObject({ ...changed, _status: 'published' })
    const visitor = await session.browser.newPage()
    try {
      await visitor.goto(`${appUrl}/`)
      await expect(visitor.locator(`li#items-${lamp.id} h3`).textContent()).resolves.toBe(
        changed.name,
      )
      await expect(visitor.locator(`li#items-${lamp.id} .price`).textContent()).resolves.toBe(
        '$15.75',
      )
    } finally {
      await visitor.close()
    }
  })

  it('should show a draft and its unsaved edit in the live preview, under the preview banner', async () => {
    const { page } = session
    await page.goto(`${appUrl}/admin/collections/items/${previewed.id}`)
    await expect(page.locator('#field-name').inputValue()).resolves.toBe(previewedNames.draft)
    await page.locator('#live-preview-toggler').click()

    const iframe = page.locator('.live-preview-window iframe#live-preview-iframe')
    await expect(iframe.getAttribute('src')).resolves.toContain(
      previewStartUrl({ collection: 'items', id: previewed.id }),
    )
    const frame = page.frameLocator('.live-preview-window iframe#live-preview-iframe')
    const banner = frame.locator('p.preview-banner[role=status]')
    await banner.waitFor()
    await expect(banner.textContent()).resolves.toContain('Preview — draft')
    await expect(
      banner.getByRole('link', { name: 'Leave preview' }).getAttribute('href'),
    ).resolves.toBe('/preview/exit')
    const shownName = frame.locator(`li#items-${previewed.id} h3`)
    await expect(shownName.textContent()).resolves.toBe(previewedNames.draft)

    // Typed, not saved: the admin posts the form to the frame, which shows it as it is typed.
    await page.locator('#field-name').fill(previewedNames.edited)
    await frame.locator(`li#items-${previewed.id} h3`, { hasText: previewedNames.edited }).waitFor()

    // Saved as a draft: the page rendered again on the server shows it too.
    await page.locator('#action-save-draft').click()
    await page.locator('.payload-toast-item', { hasText: 'Draft saved successfully' }).waitFor()
    // Next's draft-mode cookie is `Secure; SameSite=None` in production: a browser keeps it from
    // plain http on 127.0.0.1 (a potentially trustworthy origin), as the frame above shows.
    const cookies = await page.context().cookies(appUrl)
    expect(cookies.find(({ name }) => name === draftModeCookieName)).toMatchObject({
      secure: true,
      sameSite: 'None',
      httpOnly: true,
    })
    await page.goto(`${appUrl}${previewStartUrl({ collection: 'items', id: previewed.id })}`)
    await expect(page.locator('p.preview-banner').isVisible()).resolves.toBe(true)
    await expect(page.locator(`li#items-${previewed.id} h3`).textContent()).resolves.toBe(
      previewedNames.edited,
    )
  })

  it('should show anonymous visitors the published item, without the banner or the draft', async () => {
    const visitorContext = await session.browser.newContext()
    try {
      const visitor = await visitorContext.newPage()
      const refused = await visitor.goto(
        `${appUrl}${previewStartUrl({ collection: 'items', id: previewed.id })}`,
      )
      expect(refused?.status()).toBe(401)
      await visitor.goto(`${appUrl}/`)
      await expect(visitor.locator(`li#items-${previewed.id} h3`).textContent()).resolves.toBe(
        previewedNames.published,
      )
      await expect(visitor.locator('.preview-banner').count()).resolves.toBe(0)
      await expect(visitor.getByText(previewedNames.edited).count()).resolves.toBe(0)
      const cookies = await visitorContext.cookies()
      expect(cookies.map(({ name }) => name)).not.toContain(draftModeCookieName)
    } finally {
      await visitorContext.close()
    }
  })

  it('should publish the scheduled item within 15 s of its time', async () => {
    const deadline = scheduledAt.getTime() + 15_000
    let published: Doc | undefined
    await waitUntil(
      'the scheduled item to be published',
      async () => {
        const { status, body } = await api(`/api/${collectionSlugs.items}/${scheduled.id}`, {
          isSignedIn: false,
        })
        if (status === 200) published = body
        return status === 200
      },
      { timeoutMs: Math.max(deadline - Date.now(), 0) + 5_000, intervalMs: 500 },
    )
    expect(published?._status).toBe('published')
    // Published by the runner at its time: not before it, and within the 15 s allowed.
    const publishedAt = new Date(published?.updatedAt as string).getTime()
    expect(publishedAt).toBeGreaterThanOrEqual(scheduledAt.getTime())
    expect(publishedAt).toBeLessThanOrEqual(deadline)

    const visitor = await session.browser.newPage()
    try {
      await visitor.goto(`${appUrl}/`)
      await expect(visitor.locator(`li#items-${scheduled.id} h3`).textContent()).resolves.toBe(
        scheduled.name,
      )
    } finally {
      await visitor.close()
    }
  })
})
