import type http from 'node:http'

import { hasCredentials as hasCredentialsFor } from '../../../plugins/pluginKit'

/** Payload's session cookie, as the admin and cookie-authenticated frontends send it. */
const sessionCookieName = 'payload-token'

/** Whether a request says who it is: a JWT or API key in Authorization, or the session cookie. */
export const hasCredentials = (headers: http.IncomingHttpHeaders): boolean =>
  hasCredentialsFor(headers, sessionCookieName)

export const privateCacheControl = 'private, no-store'

/**
 * Runs `adjust` just before the response's headers go out, with the headers object passed to
 * writeHead itself if any (Node applies those over the ones set before).
 */
const beforeWriteHead = (
  res: http.ServerResponse,
  adjust: (response: http.ServerResponse, passedHeaders?: http.OutgoingHttpHeaders) => void,
): void => {
  const writeHead = res.writeHead
  res.writeHead = function (this: http.ServerResponse, ...args: unknown[]) {
    const passedHeaders = args.find(
      (arg, index) => index > 0 && typeof arg === 'object' && arg !== null && !Array.isArray(arg),
    ) as http.OutgoingHttpHeaders | undefined
    adjust(this, passedHeaders)
    return (writeHead as (...writeHeadArgs: unknown[]) => http.ServerResponse).apply(this, args)
  } as typeof res.writeHead
}

/**
 * An API answer to a signed-in request is about that user — drafts, `/me`, two-factor state — so
 * no shared cache may keep it and a browser should not write it to disk. Payload sets no
 * Cache-Control on REST or GraphQL answers; every answer whose route did not choose one (as the
 * public catalog does) gets `private, no-store`. A route's own header, set before or in
 * writeHead, still wins: Node applies writeHead's headers over what is set here.
 */
export const keepCredentialedAnswersPrivate = (
  req: http.IncomingMessage,
  res: http.ServerResponse,
): void => {
  if (!hasCredentials(req.headers)) return
  beforeWriteHead(res, (response) => {
    if (!response.hasHeader('cache-control'))
      response.setHeader('Cache-Control', privateCacheControl)
  })
}

/** Headers that would let a shared cache keep, revalidate or group an answer. */
const sharedCacheHeaders = ['etag', 'surrogate-key', 'surrogate-control', 'last-modified']

/**
 * A live-preview answer may hold drafts, which only the editor asking may see: whatever the page
 * or a route set, it leaves as `private, no-store` without the validators and Surrogate-Key that
 * would let the CDN, Varnish or a browser keep or share it. Unlike API answers, the route's own
 * Cache-Control does not win.
 */
export const keepPreviewAnswersPrivate = (res: http.ServerResponse): void =>
  beforeWriteHead(res, (response, passedHeaders) => {
    response.setHeader('Cache-Control', privateCacheControl)
    for (const name of sharedCacheHeaders) response.removeHeader(name)
    if (!passedHeaders) return
    for (const name of Object.keys(passedHeaders)) {
      const lower = name.toLowerCase()
      if (lower === 'cache-control') passedHeaders[name] = privateCacheControl
      else if (sharedCacheHeaders.includes(lower)) delete passedHeaders[name]
    }
  })
