import crypto from 'node:crypto'
import zlib from 'node:zlib'

import Negotiator from 'negotiator'

import { maxPendingChanges } from '../defaults'
import type { CacheChange } from '../types'

export type CacheEvent =
  | { type: 'hit' }
  | { type: 'miss' }
  | { type: 'rebuild'; seconds: number; isIncremental: boolean }
  | { type: 'invalidate'; origin: 'notification' | 'reconnect' | 'local' }

export type ContentEncoding = 'br' | 'gzip'

/** One built version of a document: its bytes, their strong ETag, and each encoding made once. */
export type CacheEntry = {
  json: Buffer
  etag: string
  builtAt: number
  /** The bytes in that encoding, compressed on first use and kept for this version. */
  encoded: (encoding: ContentEncoding) => Buffer
}

/** What a build produced: a value for the cache to serialise, or bytes already serialised. */
export type BuildResult = { document: unknown } | { fragments: Buffer[] }

const compress = (json: Buffer, encoding: ContentEncoding): Buffer =>
  encoding === 'gzip'
    ? zlib.gzipSync(json, { level: 6 })
    : zlib.brotliCompressSync(json, {
        params: {
          [zlib.constants.BROTLI_PARAM_QUALITY]: 5,
          [zlib.constants.BROTLI_PARAM_SIZE_HINT]: json.length,
        },
      })

const sha256 = (bytes: Buffer): Buffer => crypto.createHash('sha256').update(bytes).digest()

const toQuotedTag = (digest: Buffer) => `"${digest.toString('base64url').slice(0, 32)}"`

/**
 * The bytes in memory of their own. zlib's output for a small body is a slice of a 16 KiB buffer,
 * and small Buffer.concat results are slices of Node's shared 8 KiB pool: kept for the life of a
 * cache entry, each slice would keep its whole backing buffer alive, some 30 times the bytes the
 * cache counts for a small answer.
 */
export const toOwnBytes = (bytes: Buffer): Buffer => {
  if (bytes.buffer.byteLength === bytes.length) return bytes
  const own = Buffer.allocUnsafeSlow(bytes.length)
  bytes.copy(own)
  return own
}

const toEntry = (json: Buffer, etag: string, builtAt: number): CacheEntry => {
  // Compressed lazily: a new version is servable as soon as it is serialised and hashed, which is
  // what other replicas wait for after a change (compressing 12 MB took ~250 ms of the build).
  const encodings = new Map<ContentEncoding, Buffer>()
  return {
    json,
    encoded: (encoding) => {
      const cached = encodings.get(encoding)
      if (cached) return cached
      const compressed = toOwnBytes(compress(json, encoding))
      encodings.set(encoding, compressed)
      return compressed
    },
    etag,
    builtAt,
  }
}

/** An entry for JSON bytes already serialised, e.g. an answer Payload sent. */
export const toJsonCacheEntry = (json: Buffer, builtAt: number): CacheEntry =>
  toEntry(toOwnBytes(json), toQuotedTag(sha256(json)), builtAt)

export const toCacheEntry = (document: unknown, builtAt: number): CacheEntry =>
  toJsonCacheEntry(Buffer.from(JSON.stringify(document)), builtAt)

/** Hashes each fragment object once; a fragment reused by the next build costs nothing. */
type FragmentHasher = (fragment: Buffer) => Buffer

export const createFragmentHasher = (): FragmentHasher => {
  const digests = new WeakMap<Buffer, Buffer>()
  return (fragment) => {
    const known = digests.get(fragment)
    if (known) return known
    const digest = sha256(fragment)
    digests.set(fragment, digest)
    return digest
  }
}

/**
 * An entry from serialised fragments. The ETag hashes the fragments' hashes, so after a small
 * change only the new fragments are hashed. It stays strong: different bytes give a different
 * ETag (barring a SHA-256 collision). The same bytes cut differently would give another ETag,
 * which only costs a refetch; a deterministic build cuts the same data the same way everywhere.
 */
export const toFragmentedCacheEntry = (
  fragments: Buffer[],
  builtAt: number,
  hashFragment: FragmentHasher = createFragmentHasher(),
): CacheEntry => {
  const json = Buffer.concat(fragments)
  const etag = toQuotedTag(sha256(Buffer.concat(fragments.map(hashFragment))))
  return toEntry(json, etag, builtAt)
}

/** The entry for a build's result; `hashFragment` keeps fragment hashes across builds. */
export const toBuiltEntry = (
  result: BuildResult,
  builtAt: number,
  hashFragment?: FragmentHasher,
): CacheEntry =>
  'fragments' in result
    ? toFragmentedCacheEntry(result.fragments, builtAt, hashFragment)
    : toCacheEntry(result.document, builtAt)

type ResponseCacheArgs = {
  /** `changes` as `IncrementalBuild` documents them: undefined means build from scratch. */
  build: (changes: readonly CacheChange[] | undefined) => Promise<BuildResult>
  ttlMs: number
  graceMs: number
  onEvent?: (event: CacheEvent) => void
  now?: () => number
}

/** Pending work for the next build: the changes seen since the last one started, or everything. */
type PendingChanges = CacheChange[] | 'everything'

/**
 * An in-memory cache of one document with a TTL, single-flight rebuilds (100 concurrent misses,
 * one build), and stale-while-revalidate: while one rebuild runs after expiry or invalidation,
 * other readers get the previous version for up to `graceMs`. A build that started before an
 * invalidation is never taken as fresh, so data read before a commit cannot be cached after it.
 *
 * Invalidations may say what changed. Each build is handed the changes seen since the previous
 * build started (those that arrive while it runs go to the next one), or nothing — build from
 * scratch — when any of them was unattributable, the previous build failed, or the last full
 * build is older than the TTL: that bounds how long a lost or misapplied change can last.
 */
export const createResponseCache = ({
  build,
  ttlMs,
  graceMs,
  onEvent = () => undefined,
  now = Date.now,
}: ResponseCacheArgs) => {
  let entry: CacheEntry | undefined
  /** When the current entry stopped being fresh by invalidation; undefined while only the TTL applies. */
  let invalidatedAt: number | undefined
  let generation = 0
  let inFlight: Promise<CacheEntry> | undefined
  let pending: PendingChanges = 'everything'
  let lastFullBuildStartedAt: number | undefined
  const hashFragment = createFragmentHasher()

  // Incremental builds do not renew the TTL: it counts from the last full build, so a lost or
  // misapplied change lasts one TTL at most however often changes keep arriving.
  const freshUntil = (candidate: CacheEntry) =>
    Math.min(candidate.builtAt, lastFullBuildStartedAt ?? candidate.builtAt) + ttlMs
  const isFresh = (candidate: CacheEntry) =>
    invalidatedAt === undefined && now() < freshUntil(candidate)
  const staleSince = (candidate: CacheEntry) => invalidatedAt ?? freshUntil(candidate)

  const takePendingChanges = (): readonly CacheChange[] | undefined => {
    const isFullBuildDue =
      lastFullBuildStartedAt === undefined || now() - lastFullBuildStartedAt >= ttlMs
    const changes = pending === 'everything' || isFullBuildDue ? undefined : pending
    pending = []
    return changes
  }

  const rebuild = (): Promise<CacheEntry> => {
    if (inFlight) return inFlight
    const startedGeneration = generation
    const started = now()
    const changes = takePendingChanges()
    inFlight = build(changes)
      .then(
        (result) => {
          const built = toBuiltEntry(result, now(), hashFragment)
          onEvent({
            type: 'rebuild',
            seconds: (now() - started) / 1000,
            // A plain `build` reads everything whatever it is handed.
            isIncremental: changes !== undefined && 'fragments' in result,
          })
          entry = built
          if (changes === undefined) lastFullBuildStartedAt = started
          if (startedGeneration === generation) invalidatedAt = undefined
          return built
        },
        (error: unknown) => {
          // What the failed build took is lost, and it may have left its own state half-patched.
          pending = 'everything'
          throw error
        },
      )
      .finally(() => {
        inFlight = undefined
      })
    return inFlight
  }

  return {
    /** The document to serve, building it if there is nothing servable. */
    get: async (): Promise<CacheEntry> => {
      const current = entry
      if (current && isFresh(current)) {
        onEvent({ type: 'hit' })
        return current
      }
      onEvent({ type: 'miss' })
      // Readers that arrive while someone else rebuilds get the previous version (within the
      // grace window) instead of queueing. The reader that starts the rebuild waits for it, so
      // the first read after a change is always the new version.
      if (inFlight && current && now() - staleSince(current) < graceMs) return current
      return rebuild()
    },
    /** The current entry only if fresh, without building: for fast paths outside Payload. */
    peekFresh: (): CacheEntry | undefined => {
      const current = entry
      if (!current || !isFresh(current)) return undefined
      onEvent({ type: 'hit' })
      return current
    },
    /** Marks the entry stale. Without `change` (or with an unattributable one), rebuild fully. */
    invalidate: (origin: 'notification' | 'reconnect' | 'local', change?: CacheChange) => {
      generation += 1
      invalidatedAt ??= now()
      if (!change || pending === 'everything' || pending.length >= maxPendingChanges)
        pending = 'everything'
      else pending.push(change)
      onEvent({ type: 'invalidate', origin })
    },
  }
}

export type ResponseCache = ReturnType<typeof createResponseCache>

/** What the cache can send, smallest first: ties in the client's preferences go to the smaller. */
const servableEncodings = ['br', 'gzip', 'identity']

type EncodingNegotiator = {
  encodings: (available: string[], options: { preferred: string[] }) => string[]
}

/**
 * The content coding of the answer: the client's most preferred of br, gzip and identity, by
 * q-value, with `*` and `identity;q=0` read as RFC 9110 says. When nothing is acceptable (say
 * `*;q=0`) the answer is unencoded rather than a 406: every client can read that. deflate and zstd
 * are not offered: every client that sends them also accepts gzip or br.
 */
const negotiate = (acceptEncoding: string | undefined): ContentEncoding | undefined => {
  const negotiator = new Negotiator({
    headers: { 'accept-encoding': acceptEncoding },
  }) as unknown as EncodingNegotiator
  const [best] = negotiator.encodings(servableEncodings, { preferred: servableEncodings })
  return best === 'br' || best === 'gzip' ? best : undefined
}

/**
 * Negotiated codings by Accept-Encoding value. Clients send a handful of distinct values (one per
 * browser and tool), and negotiating one costs more than the rest of a cache hit. Bounded: once
 * full, new values are negotiated every time rather than remembered.
 */
const negotiatedEncodings = new Map<string, ContentEncoding | 'identity'>()
const maxNegotiatedEncodings = 256
const maxMemoizedHeaderLength = 256

export const negotiateContentEncoding = (
  acceptEncoding: string | undefined,
): ContentEncoding | undefined => {
  if (acceptEncoding === undefined) return negotiate(undefined)
  const known = negotiatedEncodings.get(acceptEncoding)
  if (known !== undefined) return known === 'identity' ? undefined : known
  const negotiated = negotiate(acceptEncoding)
  if (
    negotiatedEncodings.size < maxNegotiatedEncodings &&
    acceptEncoding.length <= maxMemoizedHeaderLength
  )
    negotiatedEncodings.set(acceptEncoding, negotiated ?? 'identity')
  return negotiated
}

/**
 * The strong ETag of one encoding of an entry. A strong validator promises byte-identical bodies,
 * so the br, gzip and identity bytes of one version each get their own (RFC 9110, 8.8.3.3).
 */
export const toRepresentationEtag = (etag: string, encoding: ContentEncoding | undefined) =>
  encoding ? `${etag.slice(0, -1)}-${encoding}"` : etag

/** If-None-Match against the answer's own ETag; a weak comparison, as RFC 9110 asks for GET. */
export const matchesIfNoneMatch = (ifNoneMatch: string | undefined, etag: string): boolean =>
  ifNoneMatch !== undefined &&
  // The common case, one tag as it was sent, without splitting.
  (ifNoneMatch === etag ||
    ifNoneMatch
      .split(',')
      .map((tag) => tag.trim().replace(/^W\//, ''))
      .some((tag) => tag === etag || tag === '*'))

export type CachedResponse = { status: 200 | 304; headers: Record<string, string>; body?: Buffer }

type CachedRequest = {
  acceptEncoding?: string
  ifNoneMatch?: string
  /**
   * Whether the answer may be sent encoded. A Next.js route handler may not: Next drops a
   * response's Content-Encoding and then compresses the bytes itself, so a br or gzip body would
   * reach the client encoded twice or mislabelled.
   */
  mayEncode: boolean
}

/**
 * The HTTP answer for a cached entry: br, gzip or identity as negotiated, each with its own strong
 * ETag, or an empty 304 when If-None-Match names the ETag of the bytes it would send.
 */
export const toCachedResponse = (
  entry: CacheEntry,
  { acceptEncoding, ifNoneMatch, mayEncode }: CachedRequest,
  cacheControl: string,
): CachedResponse => {
  const encoding = mayEncode ? negotiateContentEncoding(acceptEncoding) : undefined
  const headers: Record<string, string> = {
    ETag: toRepresentationEtag(entry.etag, encoding),
    'Cache-Control': cacheControl,
    Vary: 'Accept-Encoding',
  }
  if (matchesIfNoneMatch(ifNoneMatch, headers.ETag)) return { status: 304, headers }
  const body = encoding ? entry.encoded(encoding) : entry.json
  headers['Content-Type'] = 'application/json; charset=utf-8'
  headers['Content-Length'] = String(body.length)
  if (encoding) headers['Content-Encoding'] = encoding
  return { status: 200, headers, body }
}
