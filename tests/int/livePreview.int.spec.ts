import type http from 'node:http'

import { NodeNextResponse } from 'next/dist/server/base-http/node'
import { sendResponse } from 'next/dist/server/send-response'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { collectionSlugs } from '../../collections/slugs'
import type { Item } from '../../payload-types'
import { waitForChangesDelivered } from '../../plugins/responseCache'
import { livePreviewReadBody } from '../../src/preview/livePreviewRequest'
import { draftModeCookieName, previewPaths } from '../../src/preview/previewRoutes'
import { readCatalogForPage } from '../../src/preview/readCatalogForPage'
import { exitPreview, startPreview } from '../../src/preview/startPreview'
import { privateCacheControl } from '../../src/server/security/privateResponses'
import { startApiServer, type RunningApiServer } from '../helpers/apiServer'
import { serveApiThroughNode } from '../helpers/nodeAdapter'
import { uniqueName } from '../helpers/payload'
import { decodeBody, requestRaw, type RawResponse } from '../helpers/rawHttp'
import { setupEditorSession } from '../helpers/session'

/**
 * The page and the preview routes are rendered by Next.js, which these tests do not build (the
 * browser journey covers the rendered page and the admin's iframe). Here the app's HTTP server
 * runs in front of stand-ins that call the same functions the Next routes call — startPreview,
 * exitPreview, readCatalogForPage — with a draft mode that works as Next's does: a cookie holding
 * the build's preview id, which the stand-in checks by value.
 */
const previewModeId = 'test-preview-mode-id'
const draftModeCookie = `${draftModeCookieName}=${previewModeId}`

const session = setupEditorSession()
let server: RunningApiServer
let publishedName: string
let draftName: string
let item: Item

const toRequest = (req: http.IncomingMessage) => {
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value)
  }
  return new Request(`http://localhost${req.url ?? '/'}`, { method: req.method, headers })
}

const send = (req: http.IncomingMessage, res: http.ServerResponse, response: Response) =>
  sendResponse(
    { method: req.method } as Parameters<typeof sendResponse>[0],
    new NodeNextResponse(res),
    response,
  )

/** Next's draft mode: on when the cookie holds this build's id. */
const isDraftModeOn = (request: Request) =>
  (request.headers.get('cookie') ?? '').split(';').some((part) => part.trim() === draftModeCookie)

/**
 * Stands in for Next.js on page routes. The page answer carries every header a careless renderer
 * or proxy could add (public Cache-Control, ETag, Surrogate-Key): the server must strip them from
 * preview answers whatever the renderer does.
 */
const renderPages = async (req: http.IncomingMessage, res: http.ServerResponse) => {
  const request = toRequest(req)
  const { pathname } = new URL(request.url)
  if (pathname === previewPaths.start) {
    const response = await startPreview({
      payload: session.payload,
      request,
      enableDraftMode: () => res.setHeader('Set-Cookie', `${draftModeCookie}; Path=/; HttpOnly`),
    })
    return send(req, res, response)
  }
  if (pathname === previewPaths.exit) {
    const response = exitPreview({
      disableDraftMode: () =>
        res.setHeader('Set-Cookie', `${draftModeCookieName}=; Path=/; Expires=${new Date(0)}`),
    })
    return send(req, res, response)
  }
  const { catalog, isPreview } = await readCatalogForPage({
    payload: session.payload,
    headers: request.headers,
    isDraftMode: isDraftModeOn(request),
  })
  const names = catalog?.categories.flatMap((category) => category.items.map(({ name }) => name))
  return send(
    req,
    res,
    Response.json(
      { isPreview, names },
      {
        headers: {
          'Cache-Control': 'public, max-age=300',
          ETag: '"page"',
          'Surrogate-Key': 'catalog',
        },
      },
    ),
  )
}

beforeAll(async () => {
  server = await startApiServer({
    handle: (req, res) =>
      req.url?.startsWith('/api/') ? serveApiThroughNode(req, res) : renderPages(req, res),
  })
  const { payload } = session
  const category = await payload.create({
    collection: collectionSlugs.categories,
    data: { name: uniqueName('Preview shelf'), _status: 'published' },
  })
  publishedName = uniqueName('Published kettle')
  draftName = uniqueName('Draft kettle')
  item = await payload.create({
    collection: collectionSlugs.items,
    data: { name: publishedName, price: 1999, category: category.id, _status: 'published' },
  })
  // A saved draft: the published item stays as it was for everybody else.
  await payload.update({
    collection: collectionSlugs.items,
    id: item.id,
    data: { name: draftName },
    draft: true,
  })
  expect(await waitForChangesDelivered(payload)).toBe(true)
})

afterAll(async () => {
  await server?.close()
})

const get = (path: string, headers: Record<string, string> = {}) =>
  requestRaw(`${server.url}${path}`, { headers })

const json = <T>(response: RawResponse) => JSON.parse(decodeBody(response).toString('utf8')) as T

type PageAnswer = { isPreview: boolean; names: string[] }

const editorCookie = () => `payload-token=${session.token}`

const expectPrivate = (response: RawResponse) => {
  expect(response.headers['cache-control']).toBe(privateCacheControl)
  expect(response.headers.etag).toBeUndefined()
  expect(response.headers['surrogate-key']).toBeUndefined()
}

describe('preview (draft visible only in preview)', () => {
  it('should refuse to start a preview without an editor session, and never turn draft mode on', async () => {
    const start = `${previewPaths.start}?collection=items&id=${item.id}`
    for (const [cookie, status] of [
      ['', 401],
      ['payload-token=not-a-token', 401],
    ] as const) {
      const response = await get(start, cookie ? { Cookie: cookie } : {})
      expect(response.status, cookie).toBe(status)
      expect(response.headers['set-cookie'], cookie).toBeUndefined()
      expectPrivate(response)
    }
  })

  it('should refuse a preview of something the page does not show', async () => {
    for (const query of ['collection=users&id=1', 'collection=items&id=abc', '']) {
      const response = await get(`${previewPaths.start}?${query}`, { Cookie: editorCookie() })
      expect(response.status, query).toBe(400)
      expect(response.headers['set-cookie'], query).toBeUndefined()
    }
  })

  it('should turn draft mode on for an editor and send them to the item on the page', async () => {
    const response = await get(`${previewPaths.start}?collection=items&id=${item.id}`, {
      Cookie: editorCookie(),
    })
    expect(response.status).toBe(307)
    expect(response.headers.location).toBe(`/?collection=items&id=${item.id}#items-${item.id}`)
    expect(String(response.headers['set-cookie'])).toContain(draftModeCookie)
    expectPrivate(response)
    // The admin frames the preview from its own origin; nobody else may.
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN')
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'self'")
  })

  it('should show the draft to an editor in preview, privately, framed by the admin only', async () => {
    const response = await get(`/?collection=items&id=${item.id}`, {
      Cookie: `${editorCookie()}; ${draftModeCookie}`,
    })
    expect(response.status).toBe(200)
    const page = json<PageAnswer>(response)
    expect(page.isPreview).toBe(true)
    expect(page.names).toContain(draftName)
    expect(page.names).not.toContain(publishedName)
    expectPrivate(response)
    expect(response.headers['x-frame-options']).toBe('SAMEORIGIN')
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'self'")
  })

  it('should show the editor unsaved changes of the live preview, and nobody else', async () => {
    const unsavedName = uniqueName('Unsaved kettle')
    // What useLivePreview sends for the form state the admin posts to the frame.
    const livePreviewRead = (cookie?: string) =>
      requestRaw(`${server.url}/api/items/${item.id}`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'X-Payload-HTTP-Method-Override': 'GET',
          Origin: server.url,
          ...(cookie ? { Cookie: cookie } : {}),
        },
        body: JSON.stringify(
          livePreviewReadBody({ data: { ...item, name: unsavedName }, depth: 0 }),
        ),
      })
    const asEditor = await livePreviewRead(editorCookie())
    expect(asEditor.status).toBe(200)
    expect(json<Item>(asEditor).name).toBe(unsavedName)
    expect(asEditor.headers['cache-control']).toBe(privateCacheControl)
    expect(asEditor.headers['x-cache']).not.toBe('HIT')
    expect(asEditor.headers.etag).toBeUndefined()

    // Anonymous, the same read answers with the published item: the form data is not trusted.
    const anonymous = await get(`/api/items/${item.id}`)
    expect(anonymous.status).toBe(200)
    expect(json<Item>(anonymous).name).toBe(publishedName)
    expect(decodeBody(anonymous).toString('utf8')).not.toContain(unsavedName)
    // Nothing was saved: the editor's page still shows the saved draft.
    const page = json<PageAnswer>(
      await get('/', { Cookie: `${editorCookie()}; ${draftModeCookie}` }),
    )
    expect(page.names).toContain(draftName)
    expect(page.names).not.toContain(unsavedName)
  })

  it('should show the published version to an anonymous visitor and to the draft-mode cookie without a session', async () => {
    for (const cookie of ['', draftModeCookie, `payload-token=not-a-token; ${draftModeCookie}`]) {
      const response = await get('/', cookie ? { Cookie: cookie } : {})
      const page = json<PageAnswer>(response)
      expect(page.isPreview, cookie).toBe(false)
      expect(page.names, cookie).toContain(publishedName)
      expect(page.names, cookie).not.toContain(draftName)
    }
    // A signed-in editor outside preview sees the site as visitors do.
    const outside = json<PageAnswer>(await get('/', { Cookie: editorCookie() }))
    expect(outside.isPreview).toBe(false)
    expect(outside.names).toContain(publishedName)
  })

  it('should never serve the preview to the anonymous reader afterwards', async () => {
    await get('/', { Cookie: `${editorCookie()}; ${draftModeCookie}` })
    const page = await get('/')
    expect(json<PageAnswer>(page).names).not.toContain(draftName)
    // The anonymous page is not in preview: neither framed nor forced private.
    expect(page.headers['x-frame-options']).toBe('DENY')
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'")
    // The cached reads the page and frontends use: the published item, whether hit or miss.
    for (const path of ['/api/catalog', `/api/items/${item.id}`]) {
      for (let attempt = 0; attempt < 2; attempt++) {
        const response = await get(path)
        expect(response.status, path).toBe(200)
        expect(['HIT', 'MISS'], path).toContain(response.headers['x-cache'])
        const body = decodeBody(response).toString('utf8')
        expect(body, path).toContain(publishedName)
        expect(body, path).not.toContain(draftName)
      }
    }
  })

  it('should turn draft mode off when leaving the preview', async () => {
    const response = await get(previewPaths.exit, {
      Cookie: `${editorCookie()}; ${draftModeCookie}`,
    })
    expect(response.status).toBe(307)
    expect(response.headers.location).toBe('/')
    expect(String(response.headers['set-cookie'])).toMatch(/__prerender_bypass=;.*Expires=/)
    expectPrivate(response)
  })
})
