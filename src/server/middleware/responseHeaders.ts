import { isPreviewRequest } from '../../preview/previewRoutes'
import type { RouteTable } from '../routes'
import {
  keepCredentialedAnswersPrivate,
  keepPreviewAnswersPrivate,
} from '../security/privateResponses'
import { applySecurityHeaders, type SecurityHeaderSettings } from '../security/securityHeaders'
import type { Middleware } from './types'

/** Every response's security headers, set before anything else handles the request. */
export const securityHeadersMiddleware =
  (settings: SecurityHeaderSettings): Middleware =>
  ({ req, res, pathname }) =>
    applySecurityHeaders(req, res, pathname, settings)

/**
 * API answers to signed-in requests are about that user: no shared cache may keep them. Pages in
 * live preview may hold drafts: private too, whatever Next.js says (see keepPreviewAnswersPrivate).
 */
export const privateAnswersMiddleware =
  (routeTable: RouteTable): Middleware =>
  ({ req, res, pathname, route }) => {
    if (routeTable.isApiPath(pathname)) keepCredentialedAnswersPrivate(req, res)
    else if (route.kind === 'page' && isPreviewRequest(pathname, req.headers))
      keepPreviewAnswersPrivate(res)
  }
