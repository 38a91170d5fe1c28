import fs from 'node:fs'
import path from 'node:path'

import { chromium, type Browser, type Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll } from 'vitest'

/** Debian's Chromium: test tools cannot download their own browser on our machines. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

export const launchBrowser = (): Promise<Browser> =>
  chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })

export const screenshotDir = path.resolve('test-results/e2e')

/** A file name for a failed test's screenshot. */
export const screenshotPath = (testName: string): string => {
  fs.mkdirSync(screenshotDir, { recursive: true })
  return path.join(screenshotDir, `${testName.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}.png`)
}

export type CspViolation = { directive: string; blockedUri: string; page: string }

/**
 * Records every Content-Security-Policy violation on the page's documents, as the browser reports
 * them to the page itself (the `securitypolicyviolation` event) and to the console.
 */
export const collectCspViolations = async (page: Page): Promise<CspViolation[]> => {
  const violations: CspViolation[] = []
  await page.exposeBinding('reportCspViolation', (_source, violation: CspViolation) => {
    violations.push(violation)
  })
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      void (
        window as unknown as { reportCspViolation: (violation: CspViolation) => Promise<void> }
      ).reportCspViolation({
        directive: event.violatedDirective,
        blockedUri: event.blockedURI,
        page: location.pathname,
      })
    })
  })
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) {
      violations.push({ directive: 'console', blockedUri: message.text(), page: page.url() })
    }
  })
  return violations
}

type LogInArgs = { page: Page; appUrl: string; email: string; password: string }

/** Signs `page` in through the admin's login form, as an editor does, and waits for the dashboard. */
export const logInToAdmin = async ({ page, appUrl, email, password }: LogInArgs): Promise<void> => {
  await page.goto(`${appUrl}/admin/login`)
  await page.fill('#field-email', email)
  await page.fill('#field-password', password)
  await page.click('button[type=submit]')
  await page.waitForURL(`${appUrl}/admin`)
}

export type BrowserSession = { browser: Browser; page: Page }

/**
 * For one test file: Chromium and a desktop-sized page before its tests, a screenshot of every
 * failing test, and the browser closed after them. Read `session.page` inside tests and hooks.
 */
export const setupBrowserPage = (): BrowserSession => {
  const session = {} as BrowserSession
  beforeAll(async () => {
    session.browser = await launchBrowser()
    session.page = await session.browser.newPage({ viewport: { width: 1280, height: 900 } })
  })
  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail') {
      await session.page.screenshot({ path: screenshotPath(task.name), fullPage: true })
    }
  })
  afterAll(async () => {
    await session.browser?.close()
  })
  return session
}
