import type http from 'node:http'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { getEnv } from '../../src/config/env'
import { clientIpHeader } from '../../src/server/observability/requestId'
import { apiContentSecurityPolicy } from '../../src/server/security/securityHeaders'
import { startApiServer, type RunningApiServer } from '../helpers/apiServer'
import { serveApiThroughNode } from '../helpers/nodeAdapter'
import { setupEditorSession } from '../helpers/session'
import { uploadAsNewEditor } from '../helpers/uploads'

/** Stands in for Next.js on page routes: shows what a page render would get from the request. */
const renderPage = (req: http.IncomingMessage, res: http.ServerResponse) => {
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' })
  res.end(
    JSON.stringify({
      requestPolicy: req.headers['content-security-policy'],
      clientAddress: req.headers[clientIpHeader],
    }),
  )
}

const startServer = (trustProxy: number) =>
  startApiServer({
    env: { PAYLOAD_SECRET: getEnv().PAYLOAD_SECRET, TRUST_PROXY: trustProxy },
    securityHeaders: {
      isProduction: true,
      isDevelopment: false,
      mediaOrigins: ['https://media.example.com'],
    },
    handle: (req, res) =>
      req.url?.startsWith('/api/') ? serveApiThroughNode(req, res) : renderPage(req, res),
  })

const expectCommonHeaders = (response: Response) => {
  expect(response.headers.get('x-content-type-options')).toBe('nosniff')
  expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
  expect(response.headers.get('x-frame-options')).toBe('DENY')
  expect(response.headers.get('permissions-policy')).toMatch(/camera=\(\)/)
  expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin')
  expect(response.headers.get('strict-transport-security')).toBe(
    'max-age=31536000; includeSubDomains',
  )
  expect(response.headers.get('x-powered-by')).toBeNull()
}

const session = setupEditorSession()
let app: RunningApiServer
let proxied: RunningApiServer

beforeAll(async () => {
  app = await startServer(0)
  proxied = await startServer(1)
})

afterAll(async () => {
  await app?.close()
  await proxied?.close()
})

describe('security headers', () => {
  it('should lock down an API response completely', async () => {
    const response = await fetch(`${app.url}/api/items?limit=1`)
    expect(response.status).toBe(200)
    expectCommonHeaders(response)
    expect(response.headers.get('content-security-policy')).toBe(apiContentSecurityPolicy)
  })

  it('should lock down the file route too: its redirect to the public base and its errors', async () => {
    const doc = await uploadAsNewEditor({ payload: session.payload, filename: 'headers.jpg' })
    const redirect = await fetch(`${app.url}/api/media/file/${doc.filename}`, {
      redirect: 'manual',
    })
    expect(redirect.status).toBe(308)
    expect(redirect.headers.get('location')).toBe(doc.url)
    for (const [path, status] of [
      [`/api/media/file/${doc.filename}`, 308],
      ['/api/media/file/not-there-0000000000.jpg', 404],
      ['/api/media/file/..%2F.env', 400],
    ] as const) {
      const response = await fetch(`${app.url}${path}`, { redirect: 'manual' })
      expect(response.status, path).toBe(status)
      expectCommonHeaders(response)
      expect(response.headers.get('content-security-policy')).toBe(apiContentSecurityPolicy)
    }
  })

  it('should give pages a policy with a fresh nonce, and hand the same nonce to the renderer', async () => {
    const first = await fetch(`${app.url}/admin`)
    const second = await fetch(`${app.url}/admin`)
    expectCommonHeaders(first)
    const policy = first.headers.get('content-security-policy') as string
    expect(policy).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{24}' 'strict-dynamic'(;|$)/)
    expect(policy).toContain("frame-ancestors 'none'")
    expect(policy).toContain("object-src 'none'")
    expect(policy).toMatch(/img-src 'self' data: blob: https:\/\/media\.example\.com(;|$)/)
    expect(policy).not.toContain('unsafe-eval')
    const rendered = (await first.json()) as { requestPolicy: string }
    expect(rendered.requestPolicy).toBe(policy)
    expect(second.headers.get('content-security-policy')).not.toBe(policy)
  })
})

describe('client address', () => {
  it('should ignore X-Forwarded-For unless a proxy is trusted', async () => {
    const response = await fetch(`${app.url}/admin`, {
      headers: { 'X-Forwarded-For': '198.51.100.77', [clientIpHeader]: '192.0.2.1' },
    })
    expect(((await response.json()) as { clientAddress: string }).clientAddress).toBe('127.0.0.1')
  })

  it('should take the address the trusted proxy reports', async () => {
    const response = await fetch(`${proxied.url}/admin`, {
      headers: { 'X-Forwarded-For': '203.0.113.50, 198.51.100.77' },
    })
    expect(((await response.json()) as { clientAddress: string }).clientAddress).toBe(
      '198.51.100.77',
    )
  })
})
