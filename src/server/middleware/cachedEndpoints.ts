import type { OutgoingHttpHeaders } from 'node:http'

import type { RouteTable } from '../routes'
import { answered, type Middleware } from './types'

/** A cached endpoint's answer, encoded as negotiated: what the response cache's fast path gives. */
export type CachedAnswer = { status: number; headers: OutgoingHttpHeaders; body?: Buffer }

/**
 * The response cache's fast path: the answer for `path` (below the API route), or undefined when
 * it is no cached endpoint (yet); rejects when the build fails.
 */
export type ServeCachedEndpoint = (
  path: string,
  request: { acceptEncoding?: string; ifNoneMatch?: string },
) => Promise<CachedAnswer | undefined>

/**
 * Cached endpoints are answered here, without entering Next.js: that is what makes hits cheap,
 * and it is the one place that sends their br and gzip bytes (Next would encode them a second
 * time). Every GET under the API route asks the cache, which knows its paths once Payload has
 * started; before that, and when a build fails, Payload's route answers (and reports the error).
 */
export const cachedEndpointsMiddleware =
  ({
    routeTable,
    serveCachedEndpoint,
  }: {
    routeTable: RouteTable
    serveCachedEndpoint: ServeCachedEndpoint
  }): Middleware =>
  async ({ req, res, pathname }) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return
    if (!routeTable.isApiPath(pathname)) return
    const cached = await serveCachedEndpoint(routeTable.toApiPath(pathname), {
      acceptEncoding: req.headers['accept-encoding'],
      ifNoneMatch: req.headers['if-none-match'],
    }).catch(() => undefined)
    if (!cached) return
    res.writeHead(cached.status, cached.headers)
    res.end(req.method === 'HEAD' ? undefined : cached.body)
    return answered
  }
