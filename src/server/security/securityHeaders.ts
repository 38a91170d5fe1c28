import crypto from 'node:crypto'
import type http from 'node:http'

import type { AppEnv } from '../../config/env'
import { isPreviewRequest } from '../../preview/previewRoutes'
import { isAtOrBelowRoute, payloadRoutes } from '../routes'

export type SecurityHeaderSettings = {
  isProduction: boolean
  /** `next dev` needs eval and a websocket for hot reloading; production allows neither. */
  isDevelopment: boolean
  /**
   * Where media URLs point besides the page's own origin, for the admin to show them: the public
   * base (R2_PUBLIC_BASE), and SERVER_URL, on which files the app serves are linked; a page opened
   * on another name of the same server (127.0.0.1 for localhost) would not count it as 'self'.
   */
  mediaOrigins: string[]
}

export const getSecurityHeaderSettings = (
  env: Pick<AppEnv, 'isProduction' | 'r2' | 'SERVER_URL'>,
  isDevelopment: boolean,
): SecurityHeaderSettings => ({
  isProduction: env.isProduction,
  isDevelopment,
  mediaOrigins: [
    ...new Set(
      [env.r2?.publicBase, env.SERVER_URL].flatMap((url) => (url ? [new URL(url).origin] : [])),
    ),
  ],
})

/**
 * API answers and files are never rendered as pages: they may load nothing, run nothing and be
 * framed by nobody. For an SVG or HTML upload opened directly, that is what keeps it inert.
 */
export const apiContentSecurityPolicy = [
  "default-src 'none'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ')

/**
 * For the admin and the catalog page. Scripts run only with this response's nonce, which Next.js
 * puts on every script it renders; 'strict-dynamic' extends the trust to the chunks those load.
 * Styles need 'unsafe-inline': React renders `style` attributes throughout the admin, and no nonce
 * or hash can allow an attribute. `isFramedByAdmin`: a live-preview page, which the admin shows in
 * an iframe on this same origin; nothing else may be framed, by anyone.
 */
export const documentContentSecurityPolicy = (
  nonce: string,
  {
    isDevelopment,
    mediaOrigins,
    isFramedByAdmin = false,
  }: Pick<SecurityHeaderSettings, 'isDevelopment' | 'mediaOrigins'> & { isFramedByAdmin?: boolean },
): string => {
  const media = mediaOrigins.join(' ')
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDevelopment ? " 'unsafe-eval'" : ''}`,
    "style-src 'self' 'unsafe-inline'",
    `img-src 'self' data: blob: ${media}`.trim(),
    "font-src 'self' data:",
    `connect-src 'self'${isDevelopment ? ' ws: wss:' : ''}`,
    `media-src 'self' blob: ${media}`.trim(),
    "worker-src 'self' blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${isFramedByAdmin ? "'self'" : "'none'"}`,
  ].join('; ')
}

/** Features no page of ours uses; a script injected despite everything gets none of them either. */
const permissionsPolicy = [
  'accelerometer=()',
  'camera=()',
  'geolocation=()',
  'gyroscope=()',
  'magnetometer=()',
  'microphone=()',
  'payment=()',
  'usb=()',
].join(', ')

const isApiPath = (pathname: string) => isAtOrBelowRoute(pathname, payloadRoutes.api)
const isAdminPath = (pathname: string) => isAtOrBelowRoute(pathname, payloadRoutes.admin)

/**
 * A public page in live preview (the preview routes, or a page asked for with the draft-mode
 * cookie): the admin frames it from this origin. The admin and the API are never framed.
 */
export const isFramedByAdmin = (req: http.IncomingMessage, pathname: string): boolean =>
  !isApiPath(pathname) && !isAdminPath(pathname) && isPreviewRequest(pathname, req.headers)

/**
 * Sets the security headers of every response, before anything else handles the request. For
 * pages, the CSP with a fresh nonce also goes on the *request*: Next.js reads the nonce from there
 * and puts it on the scripts it renders.
 */
export const applySecurityHeaders = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
  pathname: string,
  settings: SecurityHeaderSettings,
): void => {
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('Referrer-Policy', 'strict-origin-when-cross-origin')
  const isFramed = isFramedByAdmin(req, pathname)
  res.setHeader('X-Frame-Options', isFramed ? 'SAMEORIGIN' : 'DENY')
  res.setHeader('Permissions-Policy', permissionsPolicy)
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin')
  if (settings.isProduction) {
    // Browsers ignore it over plain HTTP, so it is safe behind a TLS-terminating proxy and locally.
    res.setHeader('Strict-Transport-Security', 'max-age=31536000; includeSubDomains')
  }
  if (isApiPath(pathname)) {
    res.setHeader('Content-Security-Policy', apiContentSecurityPolicy)
    return
  }
  const policy = documentContentSecurityPolicy(crypto.randomBytes(16).toString('base64'), {
    ...settings,
    isFramedByAdmin: isFramed,
  })
  // `next dev` injects tooling the production policy was never checked against: there, violations
  // are reported in the console rather than enforced, so a policy gap never blocks development.
  const header = settings.isDevelopment
    ? 'content-security-policy-report-only'
    : 'content-security-policy'
  req.headers[header] = policy
  res.setHeader(header, policy)
}
