import { collectionSlugs, globalSlugs } from '../../collections/slugs'
import { matchesPattern, toPathPattern } from '../../plugins/responseCache/readCache/readRoutes'

/** The part of Payload's `routes` config the HTTP server needs to know where things are. */
export type PayloadRoutes = {
  admin: string
  api: string
  graphQL: string
  graphQLPlayground: string
}

/**
 * The routes of this app's Payload config: Payload's defaults, which payload.config.ts keeps
 * because Next's file-system routes (src/app/(payload)/admin, src/app/(payload)/api/…) are laid
 * out for them. The server never loads the Payload config (scripts/build-server.ts forbids it), so
 * it reads them here; routes.spec.ts fails if Payload's defaults ever move away from them.
 */
export const payloadRoutes: PayloadRoutes = {
  admin: '/admin',
  api: '/api',
  graphQL: '/graphql',
  graphQLPlayground: '/graphql-playground',
}

/** A request URL's path as it came off the wire: everything before the query. */
export const pathOfUrl = (url: string | undefined): string => {
  const target = url ?? '/'
  const queryAt = target.indexOf('?')
  return queryAt === -1 ? target : target.slice(0, queryAt)
}

/** `/api` itself or any path below it, but not `/apiary`. */
export const isAtOrBelowRoute = (pathname: string, route: string): boolean =>
  pathname === route || pathname.startsWith(`${route}/`)

/** Endpoints the HTTP server answers itself, below the API route, even while Payload is down. */
export const operationalEndpoints = ['health', 'ready', 'metrics'] as const
export type OperationalEndpoint = (typeof operationalEndpoints)[number]

/**
 * What a request path is, for everything in the HTTP server that asks. `pattern` names the route
 * with ids, file names and unknown segments replaced (`/api/items/:id`, `/admin/*`): the value of
 * the `route` field in request logs and of the `route` label in metrics, a small set whatever
 * clients send.
 */
export type Route =
  | { kind: 'operational'; endpoint: OperationalEndpoint; pattern: string }
  | { kind: 'graphql'; pattern: string }
  | { kind: 'graphqlPlayground'; pattern: string }
  /** An endpoint served by the response cache (`/api/catalog`, `/api/catalog/categories/:slug`). */
  | { kind: 'cachedEndpoint'; pattern: string }
  /**
   * Payload's REST API for a collection. `operation` is the segment after the slug when it names
   * a Payload operation (`login`, `me`, `versions`, `file` …); undefined for the collection
   * itself or a document id.
   */
  | { kind: 'collection'; slug: string; operation?: string; pattern: string }
  | { kind: 'global'; slug: string; pattern: string }
  /** Below the API route, but no collection, global or endpoint of this app: Payload's 404. */
  | { kind: 'unknownApi'; pattern: string }
  | { kind: 'admin'; pattern: string }
  /** Next.js's own files: scripts, styles, images of the build. */
  | { kind: 'nextAsset'; pattern: string }
  /** Anything else: the app's public pages, and paths nobody serves. */
  | { kind: 'page'; pattern: string }

export type RouteTableOptions = {
  /** @default payloadRoutes */
  routes?: PayloadRoutes
  /** @default every collection of collections/slugs.ts */
  collections?: readonly string[]
  /** @default every global of collections/slugs.ts */
  globals?: readonly string[]
  /**
   * The collection users sign in with.
   * @default collectionSlugs.users
   */
  authCollection?: string
  /**
   * The paths the response cache serves, below the API route: exact (`/catalog`) or patterns
   * whose `:name` segments match any one segment (`/catalog/categories/:slug`).
   * @default []
   */
  cachedEndpointPaths?: readonly string[]
}

export type RouteTable = {
  /** What `pathname` (a request path without its query) is; trailing slashes are ignored. */
  classify: (pathname: string) => Route
  /** Whether `pathname` is below the API route (`/api/…`): REST, GraphQL, our own endpoints. */
  isApiPath: (pathname: string) => boolean
  /**
   * Whether `pathname` is, exactly as sent, where a client gets a new session: sign-in, first
   * user, password reset. Exactly: with a trailing slash Next.js answers a redirect, no sign-in.
   */
  isSignInPath: (pathname: string) => boolean
  /** `pathname` below the API route, as Payload's router and the response cache name it. */
  toApiPath: (pathname: string) => string
}

/** Path segments Payload uses for operations; anything else after a collection is an id. */
const collectionOperations = new Set([
  'access',
  'count',
  'first-register',
  'forgot-password',
  'init',
  'login',
  'logout',
  'me',
  'refresh-token',
  'reset-password',
  'unlock',
  'verify',
  'versions',
  'paste-url',
  'file',
])

/** The operations where a client gets a new session: a stale token there is dropped, not refused. */
const signInOperations = ['login', 'forgot-password', 'reset-password', 'first-register']

const adminViews = new Set([
  'login',
  'logout',
  'account',
  'create-first-user',
  'forgot',
  'reset',
  'unauthorized',
  'inactivity',
])

/** Beyond this many segments after a collection slug, a path's pattern is cut short. */
const maxCollectionSegments = 4

const toSegments = (path: string): string[] => [...toPathPattern(path)]

const isPattern = (path: string): boolean => toSegments(path).some((part) => part.startsWith(':'))

/** The segments of a path after those of a route (`/api` → `['api']`); undefined when not below it. */
const segmentsBelow = (segments: string[], routeSegments: string[]) =>
  routeSegments.every((segment, index) => segments[index] === segment)
    ? segments.slice(routeSegments.length)
    : undefined

const classifyCollection = (api: string, slug: string, rest: string[]): Route => {
  const pattern = [`${api}/${slug}`]
  for (const [index, segment] of rest.entries()) {
    if (index === 0 && segment === 'file') {
      pattern.push('file', ':filename')
      break
    }
    pattern.push(collectionOperations.has(segment) ? segment : ':id')
    if (pattern.length > maxCollectionSegments) break
  }
  const operation = rest[0] !== undefined && collectionOperations.has(rest[0]) ? rest[0] : undefined
  return { kind: 'collection', slug, operation, pattern: pattern.join('/') }
}

const classifyAdmin = (
  admin: string,
  segments: string[],
  collections: Set<string>,
  globals: Set<string>,
): string => {
  const [section, slug, id, ...rest] = segments
  if (!section) return admin
  if (adminViews.has(section) && !slug) return `${admin}/${section}`
  if (section === 'collections' && slug && collections.has(slug)) {
    if (!id) return `${admin}/collections/${slug}`
    const idPart = id === 'create' ? 'create' : ':id'
    return rest.length === 0
      ? `${admin}/collections/${slug}/${idPart}`
      : `${admin}/collections/${slug}/${idPart}/*`
  }
  if (section === 'globals' && slug && globals.has(slug))
    return `${admin}/globals/${slug}${id ? '/*' : ''}`
  return `${admin}/*`
}

/**
 * The one answer to "which route is this?" in the HTTP server, built once from the Payload routes
 * and the app's slugs: request logs and metrics name routes with it, and the server's steps decide
 * with it which requests are theirs.
 */
export const createRouteTable = ({
  routes = payloadRoutes,
  collections: collectionList = Object.values(collectionSlugs),
  globals: globalList = Object.values(globalSlugs),
  authCollection = collectionSlugs.users,
  cachedEndpointPaths = [],
}: RouteTableOptions = {}): RouteTable => {
  const collections = new Set(collectionList)
  const globals = new Set(globalList)
  const apiSegments = toSegments(routes.api)
  const adminSegments = toSegments(routes.admin)
  // Matched on the whole path first: below the API route, these are not collections.
  const exactRoutes = new Map<string, Route>([
    ...operationalEndpoints.map((endpoint): [string, Route] => {
      const pattern = `${routes.api}/${endpoint}`
      return [pattern, { kind: 'operational', endpoint, pattern }]
    }),
    [
      `${routes.api}${routes.graphQL}`,
      { kind: 'graphql', pattern: `${routes.api}${routes.graphQL}` },
    ],
    [
      `${routes.api}${routes.graphQLPlayground}`,
      { kind: 'graphqlPlayground', pattern: `${routes.api}${routes.graphQLPlayground}` },
    ],
    ...cachedEndpointPaths
      .filter((path) => !isPattern(path))
      .map((path): [string, Route] => [
        `${routes.api}${path}`,
        { kind: 'cachedEndpoint', pattern: `${routes.api}${path}` },
      ]),
  ])
  const cachedEndpointPatterns = cachedEndpointPaths.filter(isPattern).map((path) => ({
    segments: toSegments(`${routes.api}${path}`),
    route: { kind: 'cachedEndpoint', pattern: `${routes.api}${path}` } satisfies Route,
  }))
  const signInPaths = new Set(
    signInOperations.map((operation) => `${routes.api}/${authCollection}/${operation}`),
  )

  const classifyApi = ([slug, ...rest]: string[]): Route => {
    if (slug === 'globals') {
      const [globalSlug, ...more] = rest
      const base = `${routes.api}/globals`
      if (!globalSlug || !globals.has(globalSlug))
        return { kind: 'unknownApi', pattern: `${base}/*` }
      const pattern = more.length === 0 ? `${base}/${globalSlug}` : `${base}/${globalSlug}/*`
      return { kind: 'global', slug: globalSlug, pattern }
    }
    if (!slug || !collections.has(slug)) return { kind: 'unknownApi', pattern: `${routes.api}/*` }
    return classifyCollection(routes.api, slug, rest)
  }

  const classify = (pathname: string): Route => {
    const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname
    if (path === '/') return { kind: 'page', pattern: '/' }
    const exact = exactRoutes.get(path)
    if (exact) return exact
    const segments = toSegments(path)
    const patterned = cachedEndpointPatterns.find((entry) =>
      matchesPattern(entry.segments, segments),
    )
    if (patterned) return patterned.route
    const belowApi = segmentsBelow(segments, apiSegments)
    if (belowApi) return classifyApi(belowApi)
    const belowAdmin = segmentsBelow(segments, adminSegments)
    if (belowAdmin)
      return {
        kind: 'admin',
        pattern: classifyAdmin(routes.admin, belowAdmin, collections, globals),
      }
    if (segments[0] === '_next')
      return {
        kind: 'nextAsset',
        pattern: segments[1] === 'static' ? '/_next/static/*' : '/_next/*',
      }
    const isKnownFile = path === '/favicon.ico' || path === '/robots.txt'
    return { kind: 'page', pattern: isKnownFile ? path : '/*' }
  }

  return {
    classify,
    isApiPath: (pathname) => pathname.startsWith(`${routes.api}/`),
    isSignInPath: (pathname) => signInPaths.has(pathname),
    toApiPath: (pathname) => pathname.slice(routes.api.length),
  }
}
