import { generate } from 'otplib'
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest'

import { setupBrowserPage } from '../helpers/browser'
import { getFreePort, replicaEnv, startApp, type RunningApp } from '../setup/appServer'
import '../setup/providedContext'

const context = inject('testContext')

/**
 * A second server on the same database and build, configured as a deployment that requires admins
 * to use two-factor authentication. The shared server (and the admin the other journeys sign in
 * as) stays as it is; this journey uses an admin of its own.
 */
let strictApp: RunningApp
const browserSession = setupBrowserPage()

const admin = {
  email: `two-factor-admin-${Date.now().toString(36)}@example.test`,
  password: 'a-long-password-for-the-2fa-journey',
}
let totpSecret = ''
let backupCodes: string[] = []

/** A code for the step `stepOffset` periods from now (the server accepts one step either side). */
const codeFor = (stepOffset = 0) =>
  generate({ secret: totpSecret, epoch: Math.floor(Date.now() / 1000) + stepOffset * 30 })

const fetchJson = async (url: string, init: RequestInit & { token?: string }) => {
  const headers = new Headers(init.headers)
  headers.set('Content-Type', 'application/json')
  if (init.token) headers.set('Authorization', `JWT ${init.token}`)
  const response = await fetch(url, { ...init, headers })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

const page = () => browserSession.page

const submitPassword = async () => {
  await page().goto(`${strictApp.url}/admin/login`)
  await page().fill('#field-email', admin.email)
  await page().fill('#field-password', admin.password)
  await page().click('button[type=submit]')
}

const expectDashboard = async () => {
  await page().waitForURL(`${strictApp.url}/admin`)
  await page()
    .getByRole('link', { name: /categories/i })
    .first()
    .waitFor()
}

beforeAll(async () => {
  strictApp = await startApp({
    env: replicaEnv(context, {
      LOGIN_RATE_LIMIT_IP_ATTEMPTS: '1000',
      REQUIRE_2FA_FOR_ADMINS: 'true',
    }),
    port: await getFreePort(),
  })
  // Created through the shared server, whose admin has no second factor and is not required to.
  const login = await fetchJson(`${context.appUrl}/api/users/login`, {
    method: 'POST',
    body: JSON.stringify({ email: context.adminEmail, password: context.adminPassword }),
  })
  const created = await fetchJson(`${context.appUrl}/api/users`, {
    method: 'POST',
    token: login.body.token as string,
    body: JSON.stringify({ ...admin, role: 'admin', name: 'Two-factor admin' }),
  })
  expect(created.status).toBe(201)
})

afterEach(({ task }) => {
  // The second server's own log, for the failure report (the shared one has a log file).
  if (task.result?.state === 'fail') console.error(strictApp?.output().slice(-4000))
})

afterAll(async () => {
  await strictApp?.stop()
})

describe('an admin with two-factor authentication', () => {
  it('should be sent to enrolment after the first login, and enrol by scanning the QR code', async () => {
    await submitPassword()
    await page().waitForURL(`${strictApp.url}/admin/two-factor`)
    await page().getByText('Admins must turn on two-factor authentication').waitFor()

    await page().getByRole('button', { name: 'Set up two-factor authentication' }).click()
    const qrCode = page().getByAltText('QR code for your authenticator app')
    await qrCode.waitFor()
    await expect(qrCode.getAttribute('src')).resolves.toMatch(/^data:image\/png;base64,/)
    // What a person would type from the screen instead of scanning.
    totpSecret = (await page().locator('.two-factor__manual-key').innerText()).replace(/\s/g, '')
    expect(totpSecret).toMatch(/^[A-Z2-7]{32}$/)

    await page().fill('#field-two-factor-code', await codeFor())
    await page().getByRole('button', { name: 'Confirm and turn on' }).click()
    const codes = page().locator('.two-factor__backup-codes li')
    await codes.first().waitFor()
    backupCodes = await codes.allInnerTexts()
    expect(backupCodes).toHaveLength(10)

    await page()
      .getByRole('link', { name: /I have saved them/ })
      .click()
    await expectDashboard()
  })

  it('should ask for the code at login, refuse a wrong one, and let a valid TOTP code in', async () => {
    await page().goto(`${strictApp.url}/admin/logout`)
    await page().waitForURL(/\/admin\/login/)
    await submitPassword()
    const codeField = page().locator('#field-totp')
    await codeField.waitFor()
    expect(page().url()).toContain('/admin/login')

    await codeField.fill('000000')
    await page().click('button[type=submit]')
    await page().getByText('The two-factor code is not valid').first().waitFor()
    expect(page().url()).toContain('/admin/login')

    // The enrolment spent the current step's code; the next step's is fresh.
    await codeField.fill(await codeFor(1))
    await page().click('button[type=submit]')
    await expectDashboard()
  })

  it('should let a backup code in once', async () => {
    await page().goto(`${strictApp.url}/admin/logout`)
    await page().waitForURL(/\/admin\/login/)
    await submitPassword()
    await page().locator('#field-totp').fill(backupCodes[0])
    await page().click('button[type=submit]')
    await expectDashboard()

    const reused = await fetchJson(`${strictApp.url}/api/users/login`, {
      method: 'POST',
      body: JSON.stringify({ ...admin, totp: backupCodes[0] }),
    })
    expect(reused.status).toBe(401)
  })
})
