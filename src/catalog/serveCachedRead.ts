import type http from 'node:http'

import { getCachedPayloadInstances } from '../../plugins/payloadInternals'
import { serveCacheableRead } from '../../plugins/responseCache'

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
  const payload = getCachedPayloadInstances().get('default')
  if (!payload) return Promise.resolve(false)
  return serveCacheableRead({ payload, req, res, forward })
}
