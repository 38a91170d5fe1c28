import { describe, expect, inject, it } from 'vitest'

import { logInToAdmin, setupBrowserPage } from '../helpers/browser'
import { makeJpeg } from '../helpers/images'
import '../setup/providedContext'

const { appUrl, adminEmail, adminPassword } = inject('testContext')

const suffix = Date.now().toString(36)
const categoryName = `Journey Category ${suffix}`
const itemName = `Journey Item ${suffix}`

const session = setupBrowserPage()

describe('an editor in the admin', () => {
  it('should log in as the admin from ADMIN_EMAIL / ADMIN_PASSWORD', async () => {
    const { page } = session
    await logInToAdmin({
      page,
      appUrl: appUrl as string,
      email: adminEmail as string,
      password: adminPassword as string,
    })
    await expect(
      page
        .getByRole('link', { name: /categories/i })
        .first()
        .isVisible(),
    ).resolves.toBe(true)
  })

  it('should create and publish a category', async () => {
    const { page } = session
    await page.goto(`${appUrl}/admin/collections/categories/create`)
    await page.fill('#field-name', categoryName)
    await page.click('#action-save')
    await page.waitForURL(/\/admin\/collections\/categories\/\d+/)
  })

  it('should create an item in it with an uploaded image, and publish it', async () => {
    const { page } = session
    await page.goto(`${appUrl}/admin/collections/items/create`)
    await page.fill('#field-name', itemName)
    await page.fill('#field-price', '2599')

    await page.click('#field-category .rs__control')
    await page.keyboard.type(categoryName)
    await page.locator('.rs__option', { hasText: categoryName }).click()

    await page.getByRole('button', { name: 'Create New' }).click()
    await page.locator('.bulk-upload--add-files__hidden-input').setInputFiles({
      name: 'journey.jpg',
      mimeType: 'image/jpeg',
      buffer: await makeJpeg(1200, 800),
    })
    const uploadDrawer = page.locator('.drawer__content', { has: page.locator('#field-alt') })
    await uploadDrawer.locator('#field-alt').fill('A photo uploaded in the browser')
    await uploadDrawer.getByRole('button', { name: 'Save', exact: true }).click()
    await page
      .locator('.upload-relationship-details, .file-details, .bulk-upload--file-row')
      .first()
      .waitFor({
        state: 'attached',
      })
    await expect(page.locator('#field-alt').count()).resolves.toBe(0)

    await page.click('#action-save')
    await page.waitForURL(/\/admin\/collections\/items\/\d+/)
  })

  it('should show the published item on the public catalog page right away', async () => {
    const { browser } = session
    const visitor = await browser.newPage()
    try {
      await visitor.goto(`${appUrl}/`)
      await expect(visitor.getByRole('heading', { name: itemName }).isVisible()).resolves.toBe(true)
      await expect(visitor.getByText('$25.99').first().isVisible()).resolves.toBe(true)
    } finally {
      await visitor.close()
    }
  })

  it('should show the published item to anonymous API readers, with its image and category', async () => {
    const response = await fetch(
      `${appUrl}/api/items?depth=1&where[name][equals]=${encodeURIComponent(itemName)}`,
    )
    expect(response.status).toBe(200)
    const { docs } = (await response.json()) as {
      docs: {
        price: number
        _status: string
        category: { name: string }
        images: { alt: string; sizes: { card: { url: string } } }[]
      }[]
    }
    expect(docs).toHaveLength(1)
    expect(docs[0]).toMatchObject({
      price: 2599,
      _status: 'published',
      category: { name: categoryName },
    })
    expect(docs[0].images[0].alt).toBe('A photo uploaded in the browser')
    // Served by the bucket, not the app.
    const cardUrl = docs[0].images[0].sizes.card.url
    expect(cardUrl.startsWith(process.env.R2_PUBLIC_BASE as string)).toBe(true)
    const image = await fetch(cardUrl)
    expect(image.status).toBe(200)
    expect(image.headers.get('content-type')).toBe('image/jpeg')
  })
})
