import type http from 'node:http'

/**
 * The field paths a `sort` reads, without their direction: `-title,category.name` and
 * `['-title', 'category__name']` both read `title` and `category.name` (`__` is the GraphQL
 * spelling of a dot).
 */
export const sortFieldPaths = (sort: unknown): string[] => {
  const entries = Array.isArray(sort) ? sort : typeof sort === 'string' ? sort.split(',') : []
  return entries
    .filter((entry): entry is string => typeof entry === 'string')
    .map((entry) => entry.trim().replace(/^[-+]/, '').replace(/__/g, '.'))
    .filter(Boolean)
}

/**
 * Whether a request says who it is: a JWT or API key in `Authorization`, or Payload's session
 * cookie (`<cookiePrefix>-token`). Answers to such requests are about that user.
 */
export const hasCredentials = (
  headers: http.IncomingHttpHeaders,
  sessionCookieName: string,
): boolean =>
  Boolean(headers.authorization) ||
  (headers.cookie ?? '')
    .split(';')
    .some((cookie) => cookie.trim().startsWith(`${sessionCookieName}=`))
