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

/** Fetch Metadata values a page of another site cannot produce: this site's own pages, the user. */
const ownSiteFetches = new Set(['same-origin', 'none'])

/**
 * A GET carrying the sign-in cookie, which {@link checkCookieOrigin} cannot place: browsers send
 * no Origin with a GET they navigate to or load as an image or script, and the cookie (SameSite
 * Lax) still goes along when another site links to this one. Such a GET runs with the user's
 * rights only when the browser says it comes from this site's own pages or from the user (typed,
 * bookmarked): `Sec-Fetch-Site: same-origin` or `none`. A GET with an Origin has been placed by
 * {@link checkCookieOrigin} already; one with neither header (an old browser, or a script holding
 * a cookie rather than a token) is refused too, since nothing says where it comes from.
 */
export const checkCookieGetSite = (
  request: Request,
  policy: OriginPolicy,
): Rejection | undefined => {
  if (request.headers.get('origin')) return undefined
  if (!parseCookies(request.headers).get(policy.cookieName)) return undefined
  if (ownSiteFetches.has(request.headers.get('sec-fetch-site') ?? '')) return undefined
  return reject(
    403,
    'Signed-in GraphQL queries over GET are accepted only from pages of this site: send them by POST, or with the token in an Authorization header.',
  )
}
