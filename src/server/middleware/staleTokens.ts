import type { RouteTable } from '../routes'
import { invalidTokenMessage } from '../security/authorizationToken'
import { answered, sendError, type Middleware } from './types'

/**
 * A header token signed before a PAYLOAD_SECRET rotation (or expired) is answered 401 on the API,
 * where Payload alone would serve the request as anonymous. Only a token in the Authorization
 * header is refused here; a cookie alone is verified later, for the log line, off the path the
 * client waits on.
 */
export const staleTokensMiddleware =
  (routeTable: RouteTable): Middleware =>
  async (context) => {
    const { req, res, pathname, getSessionToken } = context
    if (!routeTable.isApiPath(pathname) || req.headers.authorization === undefined) return
    if (!(await getSessionToken()).isRejectedHeaderToken) return
    if (routeTable.isSignInPath(pathname)) {
      // Signing in is how a client replaces a stale token: let it through without the token.
      delete req.headers.authorization
      return
    }
    res.setHeader('WWW-Authenticate', 'JWT error="invalid_token"')
    sendError(context, 401, { message: invalidTokenMessage })
    return answered
  }
