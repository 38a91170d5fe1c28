import { parseCookies } from 'payload/shared'

import { reject, type Rejection } from './rejection'

export type OriginPolicy = {
  /** Other sites allowed to call the API with the sign-in cookie: CORS_ORIGINS. */
  allowedOrigins: readonly string[]
  /** The sign-in cookie's name, `<cookiePrefix>-token`. */
  cookieName: string
}

/** The host the client addressed: a proxy's X-Forwarded-Host, else Host, else the URL's. */
const requestedHost = (request: Request): string =>
  request.headers.get('x-forwarded-host')?.split(',')[0].trim() ||
  request.headers.get('host') ||
  new URL(request.url).host

const hostOf = (origin: string): string | undefined => {
  try {
    return new URL(origin).host
  } catch {
    return undefined
  }
}

/**
 * Browsers attach the sign-in cookie to requests any site makes, and name that site in `Origin`.
 * A request with the cookie is accepted only from this site (the origin's host is the host the
 * request was sent to) or a listed origin; from anywhere else it is refused with a 403 before
 * Payload reads the cookie. Requests without the cookie (anonymous, or a bearer token, which
 * another site cannot attach) and requests without an Origin (not sent cross-site by browsers for
 * anything but plain navigations) are not affected.
 */
export const checkCookieOrigin = (
  request: Request,
  policy: OriginPolicy,
): Rejection | undefined => {
  const origin = request.headers.get('origin')
  if (!origin || request.method === 'OPTIONS') return undefined
  if (!parseCookies(request.headers).get(policy.cookieName)) return undefined
  if (policy.allowedOrigins.includes(origin) || hostOf(origin) === requestedHost(request)) {
    return undefined
  }
  return reject(
    403,
    'Signed-in requests are accepted only from this site and the origins listed in CORS_ORIGINS; this one came from another origin.',
  )
}
