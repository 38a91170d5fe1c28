import type http from 'node:http'
import { Readable } from 'node:stream'

import { handleApiRequest } from './http'

/**
 * Serves the app's API over a node http server the way Next.js does in production (Node request in,
 * route handler, Node response out), so tests can put the real server wrapper in front of Payload
 * without building Next.js.
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
  res.writeHead(response.status, Object.fromEntries(response.headers))
  res.end(Buffer.from(await response.arrayBuffer()))
}
