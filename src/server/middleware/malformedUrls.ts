import {
  hasMalformedPercentEncoding,
  malformedPathMessage,
  malformedQueryMessage,
} from '../requestValidation/percentEncoding'
import type { RouteTable } from '../routes'
import { answered, sendError, type Middleware } from './types'

const findMalformedEscape = (url: string, pathname: string): string | undefined => {
  if (hasMalformedPercentEncoding(pathname)) return malformedPathMessage
  if (hasMalformedPercentEncoding(url.slice(pathname.length))) return malformedQueryMessage
  return undefined
}

/**
 * A malformed percent-escape in an API URL, read from the URL as it came off the wire. Next.js
 * answers one in the path with its HTML error page, and re-encodes one in the query before a route
 * handler sees it (a broken escape then silently becomes literal text): only here is it still
 * visible, so it is refused here, in the API's error shape.
 */
export const malformedUrlsMiddleware =
  (routeTable: RouteTable): Middleware =>
  (context) => {
    const { req, pathname } = context
    if (!routeTable.isApiPath(pathname)) return
    const message = findMalformedEscape(req.url ?? '/', pathname)
    if (!message) return
    sendError(context, 400, { message })
    return answered
  }
