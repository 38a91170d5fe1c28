import { describe, expect, it } from 'vitest'

import { assembleCatalogFragments, planCatalogChanges } from './incrementalCatalog'

describe('planCatalogChanges', () => {
  it('should re-read the named items and media, all categories, and the site header', () => {
    expect(
      planCatalogChanges([
        { collection: 'items', id: 3 },
        { collection: 'items', id: '4' },
        { collection: 'items', id: 3 },
        { collection: 'media', id: 9 },
        { collection: 'categories', id: 2 },
        { global: 'site-settings' },
      ]),
    ).toEqual({
      isSiteChanged: true,
      areCategoriesChanged: true,
      itemIds: new Set([3, 4]),
      mediaIds: new Set([9]),
    })
  })

  it('should re-read all categories even when the change names none', () => {
    expect(planCatalogChanges([{ collection: 'categories' }])?.areCategoriesChanged).toBe(true)
  })

  it('should give up (build everything) on a change it cannot attribute', () => {
    for (const change of [
      { collection: 'items' },
      { collection: 'media' },
      { collection: 'items', id: 'not-a-number' },
      { collection: 'users', id: 1 },
      { global: 'header' },
    ])
      expect(planCatalogChanges([{ collection: 'items', id: 1 }, change])).toBeUndefined()
  })

  it('should plan nothing for no changes', () => {
    expect(planCatalogChanges([])).toEqual({
      isSiteChanged: false,
      areCategoriesChanged: false,
      itemIds: new Set(),
      mediaIds: new Set(),
    })
  })
})

describe('assembleCatalogFragments', () => {
  const site = { name: 'Shop', currency: 'EUR', logo: null, banner: null }
  const categories = [
    { id: 1, name: 'One', items: [] },
    { id: 2, name: 'Two "quoted"', items: [{ id: 5, tags: ['ü'] }] },
  ]
  const fragment = (value: unknown) => Buffer.from(JSON.stringify(value))

  it('should give exactly the bytes JSON.stringify gives for the whole document', () => {
    for (const listed of [[], categories.slice(0, 1), categories]) {
      const bytes = Buffer.concat(assembleCatalogFragments(fragment(site), listed.map(fragment)))
      expect(bytes.toString()).toBe(JSON.stringify({ site, categories: listed }))
    }
  })

  it('should reuse the separator objects, so their hashes are computed once', () => {
    const first = assembleCatalogFragments(fragment(site), categories.map(fragment))
    const second = assembleCatalogFragments(fragment(site), categories.map(fragment))
    expect(first[0]).toBe(second[0])
    expect(first.at(-1)).toBe(second.at(-1))
  })
})
