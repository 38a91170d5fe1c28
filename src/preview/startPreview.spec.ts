import type { Payload } from 'payload'
import { describe, expect, it } from 'vitest'

import {
  isPreviewRequest,
  previewPageUrl,
  previewStartUrl,
  readPreviewTarget,
} from './previewRoutes'
import { startPreview } from './startPreview'

/** Only `auth` is used: who the request's session names. */
const payloadWithUser = (user: { role: string } | null) =>
  ({ auth: async () => ({ user }) }) as unknown as Payload

const start = async (user: { role: string } | null, query = 'collection=items&id=7') => {
  let isEnabled = false
  const response = await startPreview({
    payload: payloadWithUser(user),
    request: new Request(`http://localhost/preview?${query}`),
    enableDraftMode: () => {
      isEnabled = true
    },
  })
  return { status: response.status, location: response.headers.get('location'), isEnabled }
}

describe('startPreview', () => {
  it('should refuse a signed-in user whose role edits no catalog, without draft mode', async () => {
    expect(await start({ role: 'viewer' })).toEqual({
      status: 403,
      location: null,
      isEnabled: false,
    })
    expect(await start(null)).toMatchObject({ status: 401, isEnabled: false })
  })

  it('should send an editor to the document on the page, with draft mode on', async () => {
    expect(await start({ role: 'editor' })).toEqual({
      status: 307,
      location: '/?collection=items&id=7#items-7',
      isEnabled: true,
    })
  })
})

describe('preview routes', () => {
  it('should read only documents the page shows from a query', () => {
    const query = (text: string) => readPreviewTarget(new URLSearchParams(text))
    expect(query('collection=categories&id=3')).toEqual({ collection: 'categories', id: 3 })
    expect(query('collection=users&id=3')).toBeUndefined()
    expect(query('collection=items&id=0')).toBeUndefined()
    expect(query('collection=items&id=1.5')).toBeUndefined()
    expect(query('collection=items')).toBeUndefined()
  })

  it('should build the start and page URLs from the same target', () => {
    const target = { collection: 'categories', id: 4 } as const
    expect(previewStartUrl(target)).toBe('/preview?collection=categories&id=4')
    expect(previewPageUrl(target)).toBe('/?collection=categories&id=4#categories-4')
  })

  it('should tell preview requests by route or by the draft-mode cookie, and only by those', () => {
    expect(isPreviewRequest('/preview', {})).toBe(true)
    expect(isPreviewRequest('/preview/exit', {})).toBe(true)
    expect(isPreviewRequest('/', { cookie: 'theme=dark; __prerender_bypass=x' })).toBe(true)
    expect(isPreviewRequest('/', { cookie: 'payload-token=x' })).toBe(false)
    expect(isPreviewRequest('/', { cookie: 'my__prerender_bypass=x' })).toBe(false)
  })
})
