import type { RunningApp } from '../../tests/setup/appServer'
import { startBareServer, type BareServer } from './bareServer'
import { browserAcceptEncoding, readMetricsText, requestRaw, type RawResponse } from './httpProbe'
import type { LoadResult, runLoad } from './measure'
import {
  formatBytes,
  outcomesBetween,
  readCacheOutcomes,
  toLoadRow,
  type BenchRow,
  type TargetCheck,
} from './report'

type LoadOptions = Partial<Parameters<typeof runLoad>[0]>

/** One autocannon case against a server process, as the bench's other cases run. */
export type LoadCase = (
  label: string,
  url: string,
  pid: number,
  options?: LoadOptions,
) => Promise<LoadResult>

export type ReadCacheBenchContext = {
  /** A replica with the response cache on (the default). */
  cachedApp: RunningApp
  /** A replica with `RESPONSE_CACHE_ENABLED=false`: every read answered by Payload. */
  uncachedApp: RunningApp
  metricsToken: string
  workDir: string
  durationSeconds: number
  load: LoadCase
  /** Bare servers started here are added, for the bench to stop at the end. */
  bareServers: BareServer[]
}

/** A frontend's typical read: one category's items, sorted, with their category and images. */
export const frontendListPath = (categoryId: number) =>
  `/api/items?where[category][equals]=${categoryId}&depth=1&limit=100&sort=name`

/** The fields (d) and (n) ask GraphQL for: what a product list shows. */
export const itemListSelection =
  'docs { id name slug price isAvailable tags category { id name } images { url alt sizes { card { url } } } }'

export const frontendListQuery = (categoryId: number) =>
  `{ Items(where: { category: { equals: ${categoryId} } }, limit: 100, sort: "name") { ${itemListSelection} } }`

const browserHeaders = { 'Accept-Encoding': browserAcceptEncoding }

type ReadRequest = { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string }

/** A cached load, and how its reads were answered, from the replica's own counters. */
export type CachedLoad = {
  result: LoadResult
  /** `X-Cache` of one request sent just before the load. */
  sampledOutcome: string
  hits: number
  reads: number
  hitRatio: number
}

/**
 * Loads `path` on a replica with the cache on, after one request that fills the entry, and reads
 * the replica's `response_cache_reads_total` before and after: a load that is not all hits shows.
 */
export const measureCachedLoad = async (
  context: Pick<ReadCacheBenchContext, 'load' | 'metricsToken'>,
  {
    label,
    app,
    path,
    request = {},
    expectedStatus,
  }: {
    label: string
    app: RunningApp
    path: string
    request?: ReadRequest
    expectedStatus?: number
  },
): Promise<CachedLoad> => {
  const url = `${app.url}${path}`
  await requestRaw(url, request)
  const sample = await requestRaw(url, request)
  const before = readCacheOutcomes(await readMetricsText(app.url, context.metricsToken))
  const result = await context.load(label, url, app.pid, { ...request, expectedStatus })
  const after = readCacheOutcomes(await readMetricsText(app.url, context.metricsToken))
  const { hits, reads, hitRatio } = outcomesBetween(before, after)
  return {
    result,
    sampledOutcome: String(sample.headers['x-cache'] ?? 'none'),
    hits,
    reads,
    hitRatio,
  }
}

export const describeHits = ({ hits, reads, hitRatio, sampledOutcome }: CachedLoad) =>
  `${(hitRatio * 100).toFixed(2)} % HIT (${hits} of ${reads} reads, replica's counters; sample ${sampledOutcome})`

/** The headers a client needs to use and revalidate the body: the goals' bare server sends these. */
const contentHeaderNames = ['content-type', 'content-encoding', 'etag', 'vary', 'cache-control']

/** What Node's http server writes itself, whatever the handler sets. */
const connectionHeaderNames = [
  'date',
  'connection',
  'keep-alive',
  'content-length',
  'transfer-encoding',
]

/** Headers of a cached answer that a bare server sends along with the same bytes. */
const answerHeaders = (
  response: RawResponse,
  isKept: (name: string) => boolean,
): Record<string, string> => {
  const headers: Record<string, string> = {}
  for (const [name, value] of Object.entries(response.headers))
    if (typeof value === 'string' && isKept(name)) headers[name] = value
  return headers
}

const hitCheck = (label: string, load: CachedLoad): TargetCheck => ({
  target: `${label} answered from the cache: ≥ 99 % HIT`,
  measured: `${(load.hitRatio * 100).toFixed(2)} % of ${load.reads}`,
  isMet: load.hitRatio >= 0.99,
})

const micros = (result: LoadResult) =>
  Number.isFinite(result.cpuMicrosPerRequest) ? `${result.cpuMicrosPerRequest.toFixed(0)} µs` : '–'

const ratioCheck = (target: string, ratio: number, goal: number): TargetCheck => ({
  target,
  measured: Number.isFinite(ratio) ? `${ratio.toFixed(ratio >= 10 ? 0 : 3)} ×` : '–',
  isMet: Number.isFinite(ratio) ? ratio >= goal : undefined,
})

/**
 * A bare server sending `answer`'s bytes with those of its headers `isSent` keeps, and the kept
 * headers of `notModifiedAnswer` for a 304; loaded with the read and with its conditional repeat.
 */
const measureBareAnswer = async (
  context: ReadCacheBenchContext,
  {
    name,
    answer,
    notModifiedAnswer,
    isSent,
    conditional,
  }: {
    name: string
    answer: RawResponse
    notModifiedAnswer: RawResponse
    isSent: (name: string) => boolean
    conditional: ReadRequest
  },
) => {
  const headers = answerHeaders(answer, isSent)
  const notModifiedHeaders = answerHeaders(notModifiedAnswer, isSent)
  const server = await startBareServer({
    workDir: context.workDir,
    name,
    body: answer.body,
    headers,
    notModifiedHeaders,
  })
  context.bareServers.push(server)
  const read = await context.load(`bare node, ${name}`, server.url, server.pid, {
    headers: browserHeaders,
  })
  const notModified = await context.load(`bare node, ${name}, 304`, server.url, server.pid, {
    ...conditional,
    expectedStatus: 304,
  })
  return {
    read,
    notModified,
    headerCount: Object.keys(headers).length,
    notModifiedHeaderCount: Object.keys(notModifiedHeaders).length,
  }
}

type BareAnswerLoads = Awaited<ReturnType<typeof measureBareAnswer>>

/** (l)'s and (m)'s goals, and the same ratios against the bare server sending every header. */
const frontendReadChecks = ({
  cached,
  uncached,
  notModified,
  bare,
  bareWithAllHeaders,
}: {
  cached: CachedLoad
  uncached: LoadResult
  notModified: CachedLoad
  bare: BareAnswerLoads
  bareWithAllHeaders: BareAnswerLoads
}): TargetCheck[] => {
  const perRequest = (result: LoadResult) => result.requestsPerSecond
  return [
    ratioCheck(
      '(l) cached ≥ 0.5 × bare, same bytes',
      perRequest(cached.result) / perRequest(bare.read),
      0.5,
    ),
    ratioCheck(
      '(l) cached ≥ 100 × the same read, cache off',
      uncached.requests > 0 ? perRequest(cached.result) / perRequest(uncached) : Number.NaN,
      100,
    ),
    hitCheck('(l)', cached),
    ratioCheck(
      '(m) 304 ≥ 0.7 × bare 304',
      perRequest(notModified.result) / perRequest(bare.notModified),
      0.7,
    ),
    {
      target: '(l), (m) against a bare server sending every header a hit sends',
      measured: `${(perRequest(cached.result) / perRequest(bareWithAllHeaders.read)).toFixed(3)} ×, ${(perRequest(notModified.result) / perRequest(bareWithAllHeaders.notModified)).toFixed(3)} ×`,
      isMet: undefined,
    },
    {
      target: '(q) CPU µs per cached request (l), 304 (m)',
      measured: `${micros(cached.result)}, ${micros(notModified.result)} (cache off: ${micros(uncached)})`,
      isMet: undefined,
    },
  ]
}

/**
 * (l) the frontend's list read, cached, against a bare server sending the same (br) bytes and
 * against the same read on the replica with the cache off; (m) its 304 against the bare server's.
 */
const measureFrontendRead = async (context: ReadCacheBenchContext, categoryId: number) => {
  const { cachedApp, uncachedApp, load, durationSeconds } = context
  const path = frontendListPath(categoryId)
  await requestRaw(`${cachedApp.url}${path}`, { headers: browserHeaders })
  const answer = await requestRaw(`${cachedApp.url}${path}`, { headers: browserHeaders })
  const identity = await requestRaw(`${cachedApp.url}${path}`)
  const etag = String(answer.headers.etag)
  const conditional = { headers: { ...browserHeaders, 'If-None-Match': etag } }
  const notModifiedAnswer = await requestRaw(`${cachedApp.url}${path}`, conditional)
  const bare = await measureBareAnswer(context, {
    name: 'frontend-read',
    answer,
    notModifiedAnswer,
    isSent: (name) => contentHeaderNames.includes(name),
    conditional,
  })
  // The whole answers a hit sends, security headers and request id included: the same bytes on
  // the wire. Beside the goals' bare server, it shows how much of the gap is the headers themselves.
  const bareWithAllHeaders = await measureBareAnswer(context, {
    name: 'frontend-read-all-headers',
    answer,
    notModifiedAnswer,
    isSent: (name) => !connectionHeaderNames.includes(name),
    conditional,
  })
  const cached = await measureCachedLoad(context, {
    label: '(l) frontend read, cached',
    app: cachedApp,
    path,
    request: { headers: browserHeaders },
  })
  const uncachedSample = await requestRaw(`${uncachedApp.url}${path}`, { headers: browserHeaders })
  const uncached = await load(
    '(l) frontend read, cache off',
    `${uncachedApp.url}${path}`,
    uncachedApp.pid,
    {
      headers: browserHeaders,
    },
  )
  const notModified = await measureCachedLoad(context, {
    label: '(m) frontend read, 304',
    app: cachedApp,
    path,
    request: conditional,
    expectedStatus: 304,
  })
  const sizes = `${formatBytes(identity.body.length)} JSON, ${formatBytes(answer.body.length)} ${answer.headers['content-encoding'] ?? 'identity'}`
  const row = (label: string, result: LoadResult, baseline: LoadResult | undefined, note: string) =>
    toLoadRow({ label, result, baseline, durationSeconds, note })
  const rows: BenchRow[] = [
    row('(l) bare Node http, the bytes of the frontend read', bare.read, bare.read, sizes),
    row(
      '(l) bare Node http, the whole answer: every header a hit sends',
      bareWithAllHeaders.read,
      bare.read,
      `${bareWithAllHeaders.headerCount} headers, against ${bare.headerCount}`,
    ),
    row(`(l) GET ${path}, cached`, cached.result, bare.read, describeHits(cached)),
    row(
      '(l) the same read, cache off',
      uncached,
      bare.read,
      `replica with RESPONSE_CACHE_ENABLED=false; ${formatBytes(uncachedSample.body.length)} ${uncachedSample.headers['content-encoding'] ?? 'identity'}, X-Cache ${uncachedSample.headers['x-cache'] ?? 'none'}`,
    ),
    row('(m) bare Node http, 304 for the same ETag', bare.notModified, bare.notModified, ''),
    row(
      '(m) bare Node http, the whole 304: every header a hit sends',
      bareWithAllHeaders.notModified,
      bare.notModified,
      `${bareWithAllHeaders.notModifiedHeaderCount} headers, against ${bare.notModifiedHeaderCount}`,
    ),
    row(
      '(m) the frontend read, If-None-Match → 304',
      notModified.result,
      bare.notModified,
      describeHits(notModified),
    ),
  ]
  const checks = frontendReadChecks({ cached, uncached, notModified, bare, bareWithAllHeaders })
  return { rows, checks }
}

/** (n) the same list as an anonymous GraphQL query, cached and with the cache off. */
const measureGraphQLRead = async (context: ReadCacheBenchContext, categoryId: number) => {
  const { cachedApp, uncachedApp, load, durationSeconds } = context
  const request = {
    method: 'POST' as const,
    headers: { ...browserHeaders, 'Content-Type': 'application/json' },
    body: JSON.stringify({ query: frontendListQuery(categoryId) }),
  }
  const cached = await measureCachedLoad(context, {
    label: '(n) GraphQL, cached',
    app: cachedApp,
    path: '/api/graphql',
    request,
  })
  const uncached = await load(
    '(n) GraphQL, cache off',
    `${uncachedApp.url}/api/graphql`,
    uncachedApp.pid,
    request,
  )
  const ratio =
    uncached.requests > 0
      ? cached.result.requestsPerSecond / uncached.requestsPerSecond
      : Number.NaN
  const rows: BenchRow[] = [
    toLoadRow({
      label: '(n) GraphQL Items(where category, limit: 100, sort: name), cached',
      result: cached.result,
      durationSeconds,
      note: describeHits(cached),
    }),
    toLoadRow({
      label: '(n) the same query, cache off',
      result: uncached,
      durationSeconds,
      note: `replica with RESPONSE_CACHE_ENABLED=false; cached ÷ cache off ${Number.isFinite(ratio) ? ratio.toFixed(0) : '–'} ×`,
    }),
  ]
  const checks: TargetCheck[] = [
    { ...ratioCheck('(n) GraphQL cached ÷ cache off (no goal)', ratio, 0), isMet: undefined },
    hitCheck('(n)', cached),
  ]
  return { rows, checks }
}

/** (l), (m), (n) and (q): cached anonymous reads against their bare and uncached baselines. */
export const measureCachedReads = async (context: ReadCacheBenchContext, categoryId: number) => {
  const frontend = await measureFrontendRead(context, categoryId)
  const graphql = await measureGraphQLRead(context, categoryId)
  return {
    rows: [...frontend.rows, ...graphql.rows],
    checks: [...frontend.checks, ...graphql.checks],
  }
}
