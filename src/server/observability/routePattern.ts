import { collectionSlugs, globalSlugs } from '../../../collections/slugs'

const collections = new Set<string>(Object.values(collectionSlugs))
const globals = new Set<string>(Object.values(globalSlugs))

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

const appRoutes = new Set([
  '/api/health',
  '/api/ready',
  '/api/metrics',
  '/api/graphql',
  '/api/graphql-playground',
  '/api/catalog',
])

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

const apiPattern = (segments: string[]): string => {
  const [slug, ...rest] = segments
  if (slug === 'globals') {
    const [globalSlug, ...more] = rest
    if (!globalSlug || !globals.has(globalSlug)) return '/api/globals/*'
    return more.length === 0 ? `/api/globals/${globalSlug}` : `/api/globals/${globalSlug}/*`
  }
  if (!slug || !collections.has(slug)) return '/api/*'
  const pattern = [`/api/${slug}`]
  for (const [index, segment] of rest.entries()) {
    if (index === 0 && segment === 'file') {
      pattern.push('file', ':filename')
      break
    }
    pattern.push(collectionOperations.has(segment) ? segment : ':id')
    if (pattern.length > 4) break
  }
  return pattern.join('/')
}

const adminPattern = (segments: string[]): string => {
  const [section, slug, id, ...rest] = segments
  if (!section) return '/admin'
  if (adminViews.has(section) && !slug) return `/admin/${section}`
  if (section === 'collections' && slug && collections.has(slug)) {
    if (!id) return `/admin/collections/${slug}`
    const idPart = id === 'create' ? 'create' : ':id'
    return rest.length === 0
      ? `/admin/collections/${slug}/${idPart}`
      : `/admin/collections/${slug}/${idPart}/*`
  }
  if (section === 'globals' && slug && globals.has(slug))
    return `/admin/globals/${slug}${id ? '/*' : ''}`
  return '/admin/*'
}

/**
 * The route pattern a request path belongs to, for log lines and metric labels: ids, file names
 * and unknown segments are replaced, so the set of values stays small whatever clients send.
 */
export const toRoutePattern = (pathname: string): string => {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname
  if (path === '/') return '/'
  if (appRoutes.has(path)) return path
  const segments = path.split('/').filter(Boolean)
  switch (segments[0]) {
    case 'api':
      return apiPattern(segments.slice(1))
    case 'admin':
      return adminPattern(segments.slice(1))
    case '_next':
      return segments[1] === 'static' ? '/_next/static/*' : '/_next/*'
    default:
      return path === '/favicon.ico' || path === '/robots.txt' ? path : '/*'
  }
}
