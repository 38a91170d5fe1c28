import type http from 'node:http'
import { createRequire } from 'node:module'
import { Readable } from 'node:stream'

import { NodeNextResponse } from 'next/dist/server/base-http/node'
import { sendResponse } from 'next/dist/server/send-response'

import { handleApiRequest } from './http'

type Middleware = (req: http.IncomingMessage, res: http.ServerResponse, next: () => void) => void

// The compression Next.js's router server puts around every response unless `compress: false`.
const nextCompression = (
  createRequire(import.meta.url)('next/dist/compiled/compression') as () => Middleware
)()

/**
 * Serves the app's API over a node http server the way Next.js does in production (Node request in,
 * route handler, Node response out), so tests can put the real server wrapper in front of Payload
 * without building Next.js. The way out is Next's own: its compression middleware and its
 * `sendResponse`, which drops a route handler's Content-Encoding and Content-Length. A route that
 * sends encoded bytes shows here as it would in production: encoded twice, or mislabelled.
 */
export const serveApiThroughNode = async (req: http.IncomingMessage, res: http.ServerResponse) => {
  const headers = new Headers()
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value)
  }
  const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
  const request = new Request(`http://localhost${req.url ?? '/'}`, {
    method: req.method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream) : undefined,
    duplex: 'half',
  } as RequestInit)
  const response = await handleApiRequest(request)
  nextCompression(req, res, () => undefined)
  await sendResponse(
    { method: req.method } as Parameters<typeof sendResponse>[0],
    new NodeNextResponse(res),
    response,
  )
}
