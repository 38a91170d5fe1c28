import type http from 'node:http'

import { hasCredentials as hasCredentialsFor } from '../../../plugins/pluginKit'

/** Payload's session cookie, as the admin and cookie-authenticated frontends send it. */
const sessionCookieName = 'payload-token'

/** Whether a request says who it is: a JWT or API key in Authorization, or the session cookie. */
export const hasCredentials = (headers: http.IncomingHttpHeaders): boolean =>
  hasCredentialsFor(headers, sessionCookieName)

export const privateCacheControl = 'private, no-store'

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
  const writeHead = res.writeHead
  res.writeHead = function (this: http.ServerResponse, ...args: unknown[]) {
    if (!this.hasHeader('cache-control')) this.setHeader('Cache-Control', privateCacheControl)
    return (writeHead as (...writeHeadArgs: unknown[]) => http.ServerResponse).apply(this, args)
  } as typeof res.writeHead
}
