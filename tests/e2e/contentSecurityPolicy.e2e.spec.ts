import type { Browser, Page } from 'playwright-core'
import type { Payload } from 'payload'
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest'

import type { User } from '../../payload-types'
import {
  collectCspViolations,
  launchBrowser,
  screenshotPath,
  type CspViolation,
} from '../helpers/browser'
import { closePayload, createUser, initPayload, testPassword } from '../helpers/payload'
import '../setup/providedContext'

const { appUrl } = inject('testContext')
let browser: Browser
let page: Page
let payload: Payload
let admin: User
let violations: CspViolation[]

beforeAll(async () => {
  payload = await initPayload()
  // An admin of its own, so this walk does not depend on what other journeys do to theirs.
  admin = await createUser({ payload, role: 'admin' })
  browser = await launchBrowser()
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
  violations = await collectCspViolations(page)
})

afterEach(async ({ task }) => {
  if (task.result?.state === 'fail') {
    await page.screenshot({ path: screenshotPath(task.name), fullPage: true })
  }
})

afterAll(async () => {
  await browser?.close()
  await closePayload(payload)
})

/** Admin views that load the most different code: lists, editors (Lexical, uploads, JSON), settings. */
const adminPaths = [
  '/admin',
  '/admin/collections/categories',
  '/admin/collections/categories/create',
  '/admin/collections/items',
  '/admin/collections/items/create',
  '/admin/collections/media',
  '/admin/collections/media/create',
  '/admin/collections/users',
  '/admin/collections/audit-logs',
  '/admin/globals/site-settings',
  '/admin/account',
]

describe('the Content-Security-Policy in a real browser', () => {
  it('should send the page headers on an admin page', async () => {
    const response = await page.goto(`${appUrl}/admin/login`)
    const headers = response?.headers() ?? {}
    expect(headers['content-security-policy']).toMatch(
      /script-src 'self' 'nonce-[^']+' 'strict-dynamic'/,
    )
    expect(headers['x-frame-options']).toBe('DENY')
    expect(headers['x-content-type-options']).toBe('nosniff')
    expect(headers['strict-transport-security']).toMatch(/^max-age=\d+/)
    expect(headers['x-powered-by']).toBeUndefined()
  })

  it('should let an admin sign in and walk the admin without a single violation', async () => {
    await page.fill('#field-email', admin.email)
    await page.fill('#field-password', testPassword)
    await page.click('button[type=submit]')
    await page.waitForURL(`${appUrl}/admin`)
    for (const path of adminPaths) {
      await page.goto(`${appUrl}${path}`)
      await page.waitForLoadState('load')
      // Rendered by React on the client: proves the scripts ran under the policy.
      await page.locator('.app-header, .template-default, .template-minimal').first().waitFor()
    }
    const { docs } = await payload.find({ collection: 'audit-logs', limit: 1, depth: 0 })
    if (docs[0]) {
      await page.goto(`${appUrl}/admin/collections/audit-logs/${docs[0].id}`)
      await page.waitForLoadState('load')
      // The changes are the plugin's server-rendered table, not Payload's CDN-loaded code editor.
      await page.locator('.audit-changes').waitFor()
      await expect(page.locator('.json-field').count()).resolves.toBe(0)
    }
    expect(violations).toEqual([])
  })

  it('should render the public catalog page without a violation', async () => {
    await page.goto(`${appUrl}/`)
    await page.waitForLoadState('load')
    expect(violations).toEqual([])
  })
})
