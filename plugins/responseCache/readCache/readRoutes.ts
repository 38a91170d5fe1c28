/** A path pattern split into segments; `:name` matches any one segment. */
export type PathPattern = readonly string[]

export const toPathPattern = (path: string): PathPattern => path.split('/').filter(Boolean)

export const matchesPattern = (pattern: PathPattern, segments: readonly string[]): boolean =>
  pattern.length === segments.length &&
  pattern.every((part, index) => part.startsWith(':') || part === segments[index])

/** What the server needs to know to tell cacheable reads from everything else; set in onInit. */
export type ReadRouteSettings = {
  apiRoute: string
  graphQLRoute: string
  collections: ReadonlySet<string>
  globals: ReadonlySet<string>
  /** The GET endpoints each cacheable collection adds itself: not document reads. */
  collectionEndpoints: ReadonlyMap<string, readonly PathPattern[]>
  /** Extra API paths whose anonymous GETs are cached like document reads (`/catalog/:slug`). */
  paths: readonly PathPattern[]
}

export type ReadRoute = { kind: 'rest' } | { kind: 'graphql' }

/** Segments of Payload's own collection routes that are no document id. */
const collectionOperations = new Set(['versions', 'access', 'init', 'me', 'file', 'paste-url'])

const decodeSegments = (path: string): string[] | undefined => {
  try {
    return path
      .split('/')
      .filter(Boolean)
      .map((segment) => decodeURIComponent(segment))
  } catch {
    return undefined
  }
}

const isDocumentRead = (settings: ReadRouteSettings, segments: string[]): boolean => {
  const [first, second, ...rest] = segments
  if (!first || rest.length > 0) return false
  if (first === 'globals') return second !== undefined && settings.globals.has(second)
  if (!settings.collections.has(first)) return false
  if (second === undefined || second === 'count') return true
  if (collectionOperations.has(second)) return false
  const ownEndpoints = settings.collectionEndpoints.get(first) ?? []
  return !ownEndpoints.some((pattern) => matchesPattern(pattern, [second]))
}

/**
 * The cacheable read at `pathname` (the path as sent, without its query): a collection's list,
 * count or document, a global, GraphQL, or one of the extra paths. Undefined for everything else.
 */
export const matchReadRoute = (
  settings: ReadRouteSettings,
  method: string | undefined,
  pathname: string,
): { route: ReadRoute; segments: string[] } | undefined => {
  if (!pathname.startsWith(`${settings.apiRoute}/`)) return undefined
  const segments = decodeSegments(pathname.slice(settings.apiRoute.length))
  if (!segments) return undefined
  const isRead = method === 'GET' || method === 'HEAD'
  if (`/${segments.join('/')}` === settings.graphQLRoute)
    return isRead || method === 'POST' ? { route: { kind: 'graphql' }, segments } : undefined
  if (!isRead) return undefined
  const isCacheable =
    isDocumentRead(settings, segments) ||
    settings.paths.some((pattern) => matchesPattern(pattern, segments))
  return isCacheable ? { route: { kind: 'rest' }, segments } : undefined
}
