import type http from 'node:http'

import { getCachedPayloadInstance } from '../../plugins/payloadInternals'
import { serveCacheableRead, serveStoredReadByUrl } from '../../plugins/responseCache'

/**
 * The app server's cache of anonymous API reads, on the Payload instance Next.js initialised (the
 * server does not start Payload itself). Resolves false, leaving the request to Next.js, before
 * Payload has started and for anything that is no cacheable read.
 */
export const serveCachedRead = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  forward: (req: http.IncomingMessage) => Promise<unknown>,
): Promise<boolean> => {
  const payload = getCachedPayloadInstance()
  if (!payload) return Promise.resolve(false)
  return serveCacheableRead({ payload, req, res, forward })
}

/**
 * The server's fast lane: answers a repeat of a read this cache has answered by its exact URL,
 * with `leadingHeaders` first; false, having done nothing, for anything else (see
 * serveStoredReadByUrl).
 */
export const serveCachedReadByUrl = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  leadingHeaders: readonly string[],
): boolean => {
  const payload = getCachedPayloadInstance()
  return payload !== undefined && serveStoredReadByUrl({ payload, req, res, leadingHeaders })
}
