import type { RouteTable } from '../routes'
import { keepCredentialedAnswersPrivate } from '../security/privateResponses'
import { applySecurityHeaders, type SecurityHeaderSettings } from '../security/securityHeaders'
import type { Middleware } from './types'

/** Every response's security headers, set before anything else handles the request. */
export const securityHeadersMiddleware =
  (settings: SecurityHeaderSettings): Middleware =>
  ({ req, res, pathname }) =>
    applySecurityHeaders(req, res, pathname, settings)

/** API answers to signed-in requests are about that user: no shared cache may keep them. */
export const privateAnswersMiddleware =
  (routeTable: RouteTable): Middleware =>
  ({ req, res, pathname }) => {
    if (routeTable.isApiPath(pathname)) keepCredentialedAnswersPrivate(req, res)
  }
