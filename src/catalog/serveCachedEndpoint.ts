import { getCachedPayloadInstances } from '../../plugins/payloadInternals'
import {
  serveCachedEndpoint as serveFromInstance,
  type CachedResponse,
} from '../../plugins/responseCache'

type FastPathRequest = { acceptEncoding?: string; ifNoneMatch?: string }

/**
 * The app server's fast path for cached endpoints: the response from the caches of the Payload
 * instance Next.js initialised (the server does not start Payload itself). Undefined before
 * Payload has started, or when `path` is not a cached endpoint: Next's route then serves it.
 */
export const serveCachedEndpoint = async (
  path: string,
  request: FastPathRequest,
): Promise<CachedResponse | undefined> => {
  const payload = getCachedPayloadInstances().get('default')
  if (!payload) return undefined
  return serveFromInstance({ payload, path, ...request })
}
