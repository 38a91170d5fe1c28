import { globalSlugs } from '../../collections/slugs'
import type { CatalogState } from './catalogChanges'
import { itemTags } from './catalogChanges'
import { handleApiRequest } from './http'
import { decodeBody, requestRaw } from './rawHttp'
import type { SeededRandom } from './seededRandom'

/**
 * Anonymous reads of the catalog as frontends send them — REST lists with filters, sorts and
 * pages, documents, counts, the global, joins, GraphQL over POST and GET — drawn at random, and
 * how to send one to a server or straight to the route handlers.
 */

/** One anonymous read; `kind` names its shape in reports. */
export type ApiRead = { kind: string; method: 'GET' | 'POST'; path: string; body?: string }

export type ReadAnswer = { status: number; body: string }

const toSearch = (parameters: Record<string, string | number>) =>
  Object.entries(parameters)
    .map(([name, value]) => `${name}=${encodeURIComponent(String(value))}`)
    .join('&')

const rest = (
  kind: string,
  path: string,
  parameters: Record<string, string | number> = {},
): ApiRead => {
  const search = toSearch(parameters)
  return { kind, method: 'GET', path: search ? `${path}?${search}` : path }
}

/** A GraphQL query, sent as a POST or (the same query) as a GET, as clients do. */
const graphQL = (
  random: SeededRandom,
  kind: string,
  query: string,
  variables?: Record<string, unknown>,
): ApiRead => {
  if (random.chance(0.5)) {
    const body = JSON.stringify({ query, variables })
    return { kind: `graphql ${kind}`, method: 'POST', path: '/api/graphql', body }
  }
  const search = new URLSearchParams({ query })
  if (variables) search.set('variables', JSON.stringify(variables))
  return { kind: `graphql GET ${kind}`, method: 'GET', path: `/api/graphql?${search}` }
}

const itemSorts = ['name', '-name', 'price', '-price', 'sortOrder', '-createdAt']
const graphQLItemFields =
  'id name price _status isAvailable category { id name slug } images { id alt }'

type ReadMaker = (random: SeededRandom, state: CatalogState) => ApiRead | undefined

// `draft=true` is in some: anonymous readers get the published documents whatever they ask.

const readMakers: ReadMaker[] = [
  (random, { categories }) =>
    rest('items of a category', '/api/items', {
      'where[category][equals]': random.pick(categories).id,
      depth: random.integer(3),
      sort: random.pick(itemSorts),
      limit: 100,
    }),
  (random, { categories }) =>
    rest('items of a category slug', '/api/items', {
      'where[category.slug][equals]': random.pick(categories).slug,
      depth: random.integer(3),
      sort: random.pick(itemSorts),
      limit: 10,
      ...(random.chance(0.3) ? { draft: 'true' } : {}),
    }),
  (random, { categories }) =>
    rest('all items of a category, unpaged', '/api/items', {
      'where[category][equals]': random.pick(categories).id,
      pagination: 'false',
      sort: random.pick(itemSorts),
      depth: 0,
    }),
  (random, { categories }) =>
    rest('items over a price, paged', '/api/items', {
      'where[price][greater_than]': random.integer(5000),
      'where[category][in]': categories.map(({ id }) => id).join(','),
      sort: random.pick(itemSorts),
      limit: 3,
      page: 1 + random.integer(3),
      depth: random.integer(2),
    }),
  () =>
    rest('available items', '/api/items', {
      'where[isAvailable][equals]': 'true',
      sort: '-price',
      limit: 5,
      depth: 0,
    }),
  (random, { categories }) =>
    rest('items by category slug or price', '/api/items', {
      'where[or][0][category.slug][equals]': random.pick(categories).slug,
      'where[or][1][price][less_than]': random.integer(1000),
      sort: random.pick(itemSorts),
      limit: 10,
      depth: random.integer(2),
    }),
  (random) =>
    rest('items with a tag', '/api/items', {
      'where[tags][in]': random.pick(itemTags),
      sort: 'name',
      depth: 0,
    }),
  (random, { items }) =>
    items.length === 0
      ? undefined
      : rest('item by id', `/api/items/${random.pick(items)}`, {
          depth: random.integer(3),
          ...(random.chance(0.3) ? { draft: 'true' } : {}),
        }),
  (random, { categories }) =>
    rest('count of a category', '/api/items/count', {
      'where[category][equals]': random.pick(categories).id,
    }),
  (random) =>
    rest('categories', '/api/categories', {
      sort: random.pick(['name', '-sortOrder']),
      limit: 20,
      depth: random.integer(3),
    }),
  (random, { categories }) =>
    rest('category by id', `/api/categories/${random.pick(categories).id}`, {
      depth: random.integer(3),
    }),
  (random, { categories }) =>
    rest('category with a shaped join', `/api/categories/${random.pick(categories).id}`, {
      'joins[items][limit]': 2,
      'joins[items][sort]': random.pick(itemSorts),
      depth: 1,
    }),
  (random, { categories }) =>
    rest('category by slug', '/api/categories', {
      'where[slug][equals]': random.pick(categories).slug,
      depth: random.integer(2),
    }),
  (random) =>
    rest('site settings', `/api/globals/${globalSlugs.siteSettings}`, { depth: random.integer(3) }),
  (random, { media }) => rest('media by id', `/api/media/${random.pick(media)}`),
  () => rest('media list', '/api/media', { sort: 'alt', limit: 10, depth: 0 }),
  (random, { categories }) =>
    rest('selected fields', '/api/items', {
      'where[category][equals]': random.pick(categories).id,
      'select[name]': 'true',
      'select[price]': 'true',
      sort: 'name',
    }),
  (random, { categories }) =>
    graphQL(
      random,
      'items of a category',
      `query ItemsOfCategory($category: JSON, $sort: String) {
        Items(where: { category: { equals: $category } }, sort: $sort, limit: 50) {
          totalDocs docs { ${graphQLItemFields} }
        }
      }`,
      { category: random.pick(categories).id, sort: random.pick(itemSorts) },
    ),
  (random, { items }) =>
    items.length === 0
      ? undefined
      : graphQL(
          random,
          'item by id',
          `{ Item(id: ${random.pick(items)}) { ${graphQLItemFields} } }`,
        ),
  (random) =>
    graphQL(
      random,
      'categories with a shaped join',
      `{ Categories(sort: "name", limit: 20) { docs { id name slug
        items(sort: "${random.pick(itemSorts)}", limit: 3, where: { price: { greater_than: ${random.integer(5000)} } }) {
          docs { id name price }
        }
      } } }`,
    ),
  (random) =>
    graphQL(
      random,
      'site settings',
      '{ SiteSetting { siteName currency logo { id alt url } banner { id alt } } }',
    ),
  (random, { categories }) =>
    graphQL(
      random,
      'settings and items',
      `query Front($category: JSON) {
        SiteSetting { siteName currency }
        Items(where: { category: { equals: $category } }, sort: "-price", limit: 5) { docs { id name price } }
      }`,
      { category: random.pick(categories).id },
    ),
  (random) =>
    graphQL(
      random,
      'count',
      `{ countItems(where: { price: { greater_than: ${random.integer(5000)} } }) { totalDocs } }`,
    ),
]

/** A read of a random kind, naming what exists now. */
export const makeRead = (
  random: SeededRandom,
  state: CatalogState,
  maker = random.pick(readMakers),
): ApiRead => maker(random, state) ?? makeRead(random, state)

/** `size` reads, every kind at least once, in random order. */
export const makeReadPool = (
  random: SeededRandom,
  state: CatalogState,
  size: number,
): ApiRead[] => {
  const pool = readMakers.map((maker) => makeRead(random, state, maker))
  while (pool.length < size) pool.push(makeRead(random, state))
  return pool
    .map((read) => ({ read, order: random.next() }))
    .sort((left, right) => left.order - right.order)
    .map(({ read }) => read)
}

/**
 * The request id both ways of sending a read give: error answers name it, so a read sent to a
 * server and straight to the route handlers can answer the very same bytes.
 */
type ReadOptions = { requestId: string }

export type ServerAnswer = {
  /** The body decoded, as a browser reads it; empty for a 304. */
  answer: ReadAnswer
  /** X-Cache: HIT, MISS or BYPASS. */
  outcome: string
  etag?: string
}

/** The read sent to a server as a browser sends it, revalidating `ifNoneMatch` if given. */
export const readThroughServer = async (
  url: string,
  read: ApiRead,
  { requestId, ifNoneMatch }: ReadOptions & { ifNoneMatch?: string },
): Promise<ServerAnswer> => {
  const headers: Record<string, string> = {
    'Accept-Encoding': 'gzip, deflate, br, zstd',
    'X-Request-Id': requestId,
  }
  if (ifNoneMatch) headers['If-None-Match'] = ifNoneMatch
  if (read.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    headers['Content-Length'] = String(Buffer.byteLength(read.body))
  }
  const response = await requestRaw(`${url}${read.path}`, {
    method: read.method,
    headers,
    body: read.body,
  })
  const body = response.status === 304 ? '' : decodeBody(response).toString('utf8')
  return {
    answer: { status: response.status, body },
    outcome: String(response.headers['x-cache'] ?? 'none'),
    etag: response.headers.etag,
  }
}

/** The read through the route handlers, with no cache in front: what Payload answers. */
export const readUncached = async (
  read: ApiRead,
  { requestId }: ReadOptions,
): Promise<ReadAnswer> => {
  const headers: Record<string, string> = { 'X-Request-Id': requestId }
  if (read.body !== undefined) headers['Content-Type'] = 'application/json'
  const response = await handleApiRequest(
    new Request(`http://localhost:3000${read.path}`, {
      method: read.method,
      headers,
      body: read.body,
    }),
  )
  return { status: response.status, body: await response.text() }
}
