import type http from 'node:http'

import { clientIpHeader, requestIdHeader, resolveRequestId } from '../observability/requestId'
import { pathOfUrl, type RouteTable } from '../routes'
import type { SessionToken } from '../security/authorizationToken'
import { resolveClientIp } from '../security/clientIp'
import { createRequestContext, type RequestContext } from './types'

type OpenRequestArgs = {
  req: http.IncomingMessage
  res: http.ServerResponse
  routeTable: RouteTable
  /** How many proxies in front of the app may be believed in X-Forwarded-For (TRUST_PROXY). */
  trustedHops: number
  readSessionToken: (headers: http.IncomingHttpHeaders) => Promise<SessionToken>
}

/**
 * The first step for every request: its id and client address, set on the request itself, where
 * Payload reads them (error responses carry the id, the audit log the address), and its route.
 */
export const openRequest = ({
  req,
  res,
  routeTable,
  trustedHops,
  readSessionToken,
}: OpenRequestArgs): RequestContext => {
  const startedAt = process.hrtime.bigint()
  const reqId = resolveRequestId(req.headers[requestIdHeader])
  req.headers[requestIdHeader] = reqId
  // Any incoming header of this name is replaced: only the socket (or a trusted proxy) says it.
  req.headers[clientIpHeader] = resolveClientIp({
    forwardedFor: req.headers['x-forwarded-for'],
    socketAddress: req.socket.remoteAddress,
    trustedHops,
  })
  res.setHeader('X-Request-Id', reqId)
  return createRequestContext(
    req,
    res,
    {
      reqId,
      pathname: pathOfUrl(req.url),
      startedAt,
      logContext: { reqId, contentType: req.headers['content-type'] },
    },
    { routeTable, readSessionToken },
  )
}
