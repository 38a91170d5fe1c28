import type http from 'node:http'

import { answered, type Middleware } from './types'

/** Answers an anonymous read from the cache, or through `forward`; false: not one to cache. */
export type ServeCachedRead = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  forward: (req: http.IncomingMessage) => Promise<unknown>,
) => Promise<boolean>

/**
 * Anonymous REST and GraphQL reads, from the response cache: a hit never enters Next.js; a miss
 * goes through Next.js (hence Payload) once, while the cache records what Payload read. Signed-in
 * requests and everything that is no read pass on, marked `X-Cache: BYPASS` where they could have
 * been cached.
 */
export const readCacheMiddleware =
  ({
    serveCachedRead,
    handle,
  }: {
    serveCachedRead: ServeCachedRead
    handle: (req: http.IncomingMessage, res: http.ServerResponse) => unknown
  }): Middleware =>
  async ({ req, res }) => {
    const isAnswered = await serveCachedRead(req, res, async (request) => {
      await handle(request, res)
    })
    return isAnswered ? answered : undefined
  }
