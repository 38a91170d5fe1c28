import http from 'node:http'

import type { Payload } from 'payload'

import { hasCredentials } from '../../pluginKit'

import { getCacheRegistry } from '../utilities/registry'
import {
  matchesIfNoneMatch,
  negotiateContentEncoding,
  toCachedResponse,
  type ContentEncoding,
} from '../utilities/responseCache'
import {
  surrogateKeyHeaderNames,
  surrogateKeysOf,
  toSurrogateKeyHeaders,
  type SurrogateKeyLimits,
} from '../utilities/surrogateKeys'
import { captureResponse, type CapturedResponse } from './captureResponse'
import { createReadDependencies, runTrackingReads, type ReadDependencies } from './dependencies'
import { matchReadRoute } from './readRoutes'
import { canonicalRestQuery, corsOriginKey, graphQLReadKey, type GraphQLRead } from './requestKey'
import type { FillCandidate, StoredRead } from './store'
import type { ReadCacheState } from './state'

export type ReadOutcome = 'HIT' | 'MISS' | 'BYPASS'

type ServeReadArgs = {
  payload: Payload
  req: http.IncomingMessage
  res: http.ServerResponse
  /** Hands a request to Payload (Next.js's handler); resolves once it has answered. */
  forward: (req: http.IncomingMessage) => Promise<unknown>
}

const readBody = async (req: http.IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks)
}

/** The same request with its body read already, for a handler that reads the body itself. */
const replayRequest = (req: http.IncomingMessage, body: Buffer): http.IncomingMessage => {
  const replay = new http.IncomingMessage(req.socket)
  Object.assign(replay, {
    method: req.method,
    url: req.url,
    headers: req.headers,
    rawHeaders: req.rawHeaders,
    httpVersion: req.httpVersion,
    httpVersionMajor: req.httpVersionMajor,
    httpVersionMinor: req.httpVersionMinor,
    // Node destroys the socket under a message that ends incomplete: the answer would never go out.
    complete: true,
  })
  replay.push(body)
  replay.push(null)
  return replay
}

const parseJsonObject = (text: string): Record<string, unknown> | undefined => {
  try {
    const value: unknown = JSON.parse(text)
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

const toGraphQLRead = (value: Record<string, unknown> | undefined): GraphQLRead | undefined => {
  if (!value || typeof value.query !== 'string') return undefined
  return { query: value.query, variables: value.variables, operationName: value.operationName }
}

const graphQLReadFromSearch = (search: URLSearchParams): GraphQLRead | undefined => {
  const query = search.get('query')
  const variables = search.get('variables')
  const parsedVariables = variables ? parseJsonObject(variables) : undefined
  if (query === null || (variables && !parsedVariables)) return undefined
  return {
    query,
    variables: parsedVariables,
    operationName: search.get('operationName') ?? undefined,
  }
}

type KeyedRequest = { key?: string; req: http.IncomingMessage }

/**
 * The cache key of a GraphQL request, and the request to forward. A POST body is read here (when
 * its declared length is within bounds) and handed on as a replayed request.
 */
const keyGraphQLRequest = async (
  state: ReadCacheState,
  req: http.IncomingMessage,
  url: URL,
): Promise<KeyedRequest> => {
  if (req.method !== 'POST') {
    const read = graphQLReadFromSearch(url.searchParams)
    return { key: read && graphQLReadKey(read), req }
  }
  const declaredLength = Number(req.headers['content-length'])
  const isJson = (req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')
  if (!isJson || !(declaredLength > 0 && declaredLength <= state.maxQueryBodyBytes)) return { req }
  const body = await readBody(req)
  const read = toGraphQLRead(parseJsonObject(body.toString('utf8')))
  return { key: read && graphQLReadKey(read), req: replayRequest(req, body) }
}

/** Headers of Payload's answer that are part of it, whoever asks. */
const keptHeaders = (headers: http.OutgoingHttpHeaders): Record<string, string> => {
  const kept: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue
    if (name === 'content-type' || name.startsWith('access-control-')) kept[name] = String(value)
  }
  return kept
}

/** What a 304 repeats of the stored headers: CORS, and the keys a cache revalidating it files under. */
const isSentWithNotModified = (name: string) =>
  name.startsWith('access-control-') ||
  (surrogateKeyHeaderNames as readonly string[]).includes(name)

/**
 * Whether Payload's answer may be kept for everyone: a successful JSON read of tracked data. Kept
 * with its surrogate keys, worked out once here rather than on every hit.
 */
const toFillCandidate = (
  captured: CapturedResponse,
  dependencies: ReadDependencies,
  { isGraphQL, surrogateKeys }: { isGraphQL: boolean; surrogateKeys?: SurrogateKeyLimits },
): FillCandidate | undefined => {
  const contentType = String(captured.headers['content-type'] ?? '')
  if (captured.status !== 200 || !contentType.includes('application/json')) return undefined
  if (dependencies.operations === 0) return undefined
  // GraphQL answers errors with a 200 too (field errors, access denied on a field).
  if (isGraphQL && parseJsonObject(captured.body.toString('utf8'))?.errors !== undefined)
    return undefined
  const keyHeaders = surrogateKeys
    ? toSurrogateKeyHeaders(surrogateKeysOf(dependencies, surrogateKeys))
    : {}
  const headers = { ...keptHeaders(captured.headers), ...keyHeaders }
  const notModifiedHeaders = Object.fromEntries(
    Object.entries(headers).filter(([name]) => isSentWithNotModified(name)),
  )
  return { json: captured.body, headers, notModifiedHeaders, dependencies }
}

/** Headers a previous handler may have set on `res` that the cached answer replaces. */
const replacedHeaders = ['content-length', 'content-encoding', 'content-type', 'etag', 'vary']

/** One event object per outcome: counted on every read, allocated once. */
const readEvents = {
  HIT: { type: 'read', outcome: 'HIT' },
  MISS: { type: 'read', outcome: 'MISS' },
  BYPASS: { type: 'read', outcome: 'BYPASS' },
} as const

/**
 * The alias of a read under which `serveStoredReadByUrl` finds it again: the URL exactly as sent,
 * and the part of `Origin` that shapes the answer. A newline is in neither.
 */
const urlAlias = (state: ReadCacheState, req: http.IncomingMessage) =>
  `${corsOriginKey(req.headers.origin, state.cors)}\n${req.url ?? '/'}`

/** A stored answer in one coding as a cache hit sends it: headers laid out once, as name/value. */
type PreparedAnswer = {
  etag: string
  body: Buffer
  headers: string[]
  notModifiedHeaders: string[]
}

const preparedAnswers = new WeakMap<StoredRead, Map<ContentEncoding | 'identity', PreparedAnswer>>()

/** Header objects merged as writeHead merges them: by lower-case name, the last one wins. */
const toHeaderArray = (...sources: Record<string, string>[]): string[] => {
  const merged = new Map<string, [string, string]>()
  for (const source of sources)
    for (const [name, value] of Object.entries(source))
      merged.set(name.toLowerCase(), [name, value])
  return [...merged.values()].flat()
}

/** The hit answers of `stored` in `encoding`, with the headers `sendStored` sends on a hit. */
const prepareAnswer = (
  state: ReadCacheState,
  stored: StoredRead,
  encoding: ContentEncoding | undefined,
): PreparedAnswer => {
  let byEncoding = preparedAnswers.get(stored)
  if (!byEncoding) {
    byEncoding = new Map()
    preparedAnswers.set(stored, byEncoding)
  }
  const known = byEncoding.get(encoding ?? 'identity')
  if (known) return known
  // The same headers sendStored gives a hit, from the same function.
  const ok = toCachedResponse(
    stored.entry,
    { acceptEncoding: encoding ?? 'identity', mayEncode: true },
    state.cacheControl,
  )
  const etag = ok.headers.ETag
  const notModified = toCachedResponse(
    stored.entry,
    { acceptEncoding: encoding ?? 'identity', ifNoneMatch: etag, mayEncode: true },
    state.cacheControl,
  )
  const trailing = { Vary: state.vary, 'X-Cache': 'HIT' }
  const prepared: PreparedAnswer = {
    etag,
    body: ok.body ?? stored.entry.json,
    headers: toHeaderArray(stored.headers, ok.headers, trailing),
    notModifiedHeaders: toHeaderArray(stored.notModifiedHeaders, notModified.headers, trailing),
  }
  byEncoding.set(encoding ?? 'identity', prepared)
  return prepared
}

/**
 * For a custom server's fast lane, before anything else it does for a request: answers an
 * anonymous GET or HEAD whose exact URL was answered from this cache before (and is still), as
 * `serveCacheableRead` would, with `leadingHeaders` (the server's own, as name/value pairs) first,
 * in one `writeHead`. Returns false, having done nothing, for anything else: the caller then
 * serves the request the usual way. Nothing about the request is parsed but the URL's alias.
 */
export const serveStoredReadByUrl = ({
  payload,
  req,
  res,
  leadingHeaders,
}: {
  payload: Payload
  req: http.IncomingMessage
  res: http.ServerResponse
  leadingHeaders: readonly string[]
}): boolean => {
  const state = getCacheRegistry(payload).reads
  if (!state || (req.method !== 'GET' && req.method !== 'HEAD')) return false
  if (hasCredentials(req.headers, state.credentialCookie)) return false
  const stored = state.store.lookupAlias(urlAlias(state, req))
  if (!stored) return false
  const prepared = prepareAnswer(
    state,
    stored,
    negotiateContentEncoding(req.headers['accept-encoding']),
  )
  const isNotModified = matchesIfNoneMatch(req.headers['if-none-match'], prepared.etag)
  res.writeHead(
    isNotModified ? 304 : 200,
    leadingHeaders.concat(isNotModified ? prepared.notModifiedHeaders : prepared.headers),
  )
  res.end(isNotModified || req.method === 'HEAD' ? undefined : prepared.body)
  state.onEvent(readEvents.HIT)
  return true
}

const sendStored = (
  state: ReadCacheState,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  stored: StoredRead,
  { acceptEncoding, outcome }: { acceptEncoding?: string; outcome: ReadOutcome },
) => {
  const answer = toCachedResponse(
    stored.entry,
    { acceptEncoding, ifNoneMatch: req.headers['if-none-match'], mayEncode: true },
    state.cacheControl,
  )
  for (const name of replacedHeaders) res.removeHeader(name)
  res.writeHead(answer.status, {
    ...(answer.status === 200 ? stored.headers : stored.notModifiedHeaders),
    ...answer.headers,
    Vary: state.vary,
    'X-Cache': outcome,
  })
  res.end(req.method === 'HEAD' ? undefined : answer.body)
  state.onEvent(readEvents[outcome])
}

/** Asks Payload, recording what it reads, and keeps the answer when it may be kept. */
const fill = async (
  state: ReadCacheState,
  { key, req, res, forward, isGraphQL }: ServeReadArgs & { key: string; isGraphQL: boolean },
) => {
  const ticket = state.store.beginFill(key)
  const acceptEncoding = req.headers['accept-encoding']
  // The bytes are encoded here, once per entry; Next.js must send them as they are.
  req.headers['accept-encoding'] = 'identity'
  delete req.headers['if-none-match']
  const dependencies = createReadDependencies()
  const capture = captureResponse(res)
  res.setHeader('X-Cache', 'MISS')
  let captured: CapturedResponse
  try {
    const forwarded = runTrackingReads(dependencies, () => forward(req))
    captured = await Promise.race([capture.captured, forwarded.then(() => capture.captured)])
  } catch (error) {
    capture.restore()
    ticket.complete(undefined)
    throw error
  }
  const stored = ticket.complete(
    toFillCandidate(captured, dependencies, { isGraphQL, surrogateKeys: state.surrogateKeys }),
  )
  if (stored) return sendStored(state, req, res, stored, { acceptEncoding, outcome: 'MISS' })
  res.end(req.method === 'HEAD' ? undefined : captured.body)
  state.onEvent({ type: 'read', outcome: 'MISS' })
}

const bypass = (state: ReadCacheState, res: http.ServerResponse) => {
  res.setHeader('X-Cache', 'BYPASS')
  state.onEvent({ type: 'read', outcome: 'BYPASS' })
}

/**
 * For a custom Node server in front of Next.js: answers an anonymous read (REST list, count,
 * document, global; GraphQL query) from the cache, or through `forward` while recording what
 * Payload read, and keeps that answer. Resolves `true` once it has answered; `false` leaves the
 * request to the caller (not a cacheable read, signed in, or no cache on this instance). Every
 * answer on a cacheable route carries `X-Cache: HIT | MISS | BYPASS`.
 */
export const serveCacheableRead = async (args: ServeReadArgs): Promise<boolean> => {
  const { payload, req, res, forward } = args
  const state = getCacheRegistry(payload).reads
  if (!state) return false
  const url = new URL(req.url ?? '/', 'http://localhost')
  const matched = matchReadRoute(state.routes, req.method, url.pathname)
  if (!matched) return false
  if (hasCredentials(req.headers, state.credentialCookie)) return (bypass(state, res), false)
  const isGraphQL = matched.route.kind === 'graphql'
  const keyed = isGraphQL
    ? await keyGraphQLRequest(state, req, url)
    : { key: canonicalRestQuery(url.search), req }
  if (keyed.key === undefined) {
    bypass(state, res)
    await forward(keyed.req)
    return true
  }
  // GET, HEAD and (for GraphQL) POST of the same read are the same answer.
  const origin = corsOriginKey(req.headers.origin, state.cors)
  const path = `/${matched.segments.join('/')}`
  const key = `${path} ${keyed.key} ${origin}`
  const acceptEncoding = req.headers['accept-encoding']
  const stored = state.store.lookup(key) ?? (await state.store.pendingFill(key))
  if (stored) {
    sendStored(state, keyed.req, res, stored, { acceptEncoding, outcome: 'HIT' })
    // Its next request finds it by its URL; a GraphQL POST has its read in the body, not the URL.
    // A cached endpoint's path gets here only when its build failed: its own cache answers next.
    if (req.method !== 'POST' && !getCacheRegistry(payload).caches.has(path))
      state.store.addAlias(urlAlias(state, req), key)
    return true
  }
  if (req.method === 'HEAD') {
    // A HEAD answer has no body to keep: Payload answers it, and the next GET fills.
    res.setHeader('X-Cache', 'MISS')
    state.onEvent({ type: 'read', outcome: 'MISS' })
    await forward(keyed.req)
    return true
  }
  await fill(state, { ...args, req: keyed.req, key, isGraphQL })
  return true
}
