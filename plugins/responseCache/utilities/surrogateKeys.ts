import type { CacheChange } from '../types'
import { anyField, type ReadDependencies } from '../readCache/dependencies'

/**
 * Surrogate keys: the names a shared cache in front of the app (a CDN, Varnish) files each answer
 * under, so that a change purges exactly the answers the replicas evict. Every key of an answer is
 * one of:
 *
 * - `d:<collection>:<id>` — a document it contains; `d:<collection>:*` stands for documents of the
 *   collection too many to name (the header would not fit);
 * - `g:<global>` — a global it contains;
 * - `l:<collection>` — it lists the collection; `l:<collection>:<field>` — a field that decides
 *   what the list shows (where, sort, access rule, join); `l:<collection>:*` — any field may;
 * - `c:<collection>` — it depends on the collection at all.
 *
 * A change purges (`purgeKeysOf`): an update of fields F of document D of C: `d:C:D`, `d:C:*`,
 * `l:C:*` and `l:C:<f>` for each f in F; a create or delete (fields unknown): `d:C:D`, `d:C:*`,
 * `l:C`; a change naming no document: `c:C`; a global: `g:<global>`. So whenever the read cache's
 * `isAffectedBy(dependencies, change)` holds, the answer's keys and the change's purge keys meet:
 * the edge never keeps what the replicas evict.
 *
 * Parts are percent-encoded down to `A-Z a-z 0-9 _ . ~ -`, so a key never holds a space or a comma
 * (the separators of `Surrogate-Key` and `Cache-Tag`) and an id is never `*`.
 */

export type SurrogateKeyLimits = {
  /**
   * The longest header value, in bytes. Varnish refuses backend header lines over 8 KB
   * (`http_resp_hdr_len`) and nginx's default proxy buffer holds all headers of an answer in 4 KB
   * to 8 KB; Cloudflare takes 16 KB of `Cache-Tag`.
   */
  maxHeaderBytes: number
  /** The longest single key (Cloudflare: 1,024 characters per tag). */
  maxKeyLength: number
}

export const defaultSurrogateKeyLimits: SurrogateKeyLimits = {
  maxHeaderBytes: 4000,
  maxKeyLength: 1024,
}

/** The headers the keys go out in: Fastly and Varnish (xkey) read one, Cloudflare the other. */
export const surrogateKeyHeaderNames = ['surrogate-key', 'cache-tag'] as const

// encodeURIComponent leaves these alone; `*` must never appear in an encoded part.
const encodePart = (value: number | string): string =>
  encodeURIComponent(String(value)).replace(
    /[!'()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  )

const wildcard = '*'

export const surrogateKey = {
  document: (collection: string, id: number | string) =>
    `d:${encodePart(collection)}:${encodePart(id)}`,
  someDocuments: (collection: string) => `d:${encodePart(collection)}:${wildcard}`,
  global: (slug: string) => `g:${encodePart(slug)}`,
  list: (collection: string) => `l:${encodePart(collection)}`,
  listField: (collection: string, field: string) =>
    `l:${encodePart(collection)}:${field === anyField ? wildcard : encodePart(field)}`,
  collection: (collection: string) => `c:${encodePart(collection)}`,
}

/** The keys of one collection's part of an answer, before they are made to fit. */
type CollectionKeys = { documents: string[]; listFields: string[]; isListed: boolean }

const globalPrefix = 'global:'

/** `documents` and `lists` of the dependencies, grouped by collection; globals on their own. */
const groupDependencies = ({ documents, lists }: Pick<ReadDependencies, 'documents' | 'lists'>) => {
  const collections = new Map<string, CollectionKeys>()
  const globals: string[] = []
  const groupOf = (collection: string) => {
    let group = collections.get(collection)
    if (!group) {
      group = { documents: [], listFields: [], isListed: false }
      collections.set(collection, group)
    }
    return group
  }
  for (const document of documents) {
    if (document.startsWith(globalPrefix)) {
      globals.push(surrogateKey.global(document.slice(globalPrefix.length)))
      continue
    }
    const separator = document.indexOf(':')
    const collection = document.slice(0, separator)
    groupOf(collection).documents.push(
      surrogateKey.document(collection, document.slice(separator + 1)),
    )
  }
  for (const [collection, fields] of lists) {
    const group = groupOf(collection)
    group.isListed = true
    for (const field of fields) group.listFields.push(surrogateKey.listField(collection, field))
  }
  return { collections, globals }
}

/**
 * The keys of one collection: precise, or with its documents collapsed into `d:<c>:*`, or (the
 * coarsest) `c:<c>` and `d:<c>:*` alone, which every change of the collection purges.
 */
const keysOfCollection = (
  collection: string,
  group: CollectionKeys,
  detail: 'precise' | 'documentsCollapsed' | 'collapsed',
): string[] => {
  const keys = [surrogateKey.collection(collection)]
  if (detail === 'collapsed') return [...keys, surrogateKey.someDocuments(collection)]
  if (group.documents.length > 0)
    keys.push(
      ...(detail === 'precise' ? group.documents : [surrogateKey.someDocuments(collection)]),
    )
  if (group.isListed) keys.push(surrogateKey.list(collection), ...group.listFields)
  return keys
}

const headerBytes = (keys: readonly string[]) =>
  keys.reduce((sum, key) => sum + key.length + 1, 0) - (keys.length > 0 ? 1 : 0)

const isWithin = (keys: readonly string[], limits: SurrogateKeyLimits) =>
  headerBytes(keys) <= limits.maxHeaderBytes &&
  keys.every((key) => key.length <= limits.maxKeyLength)

/**
 * The surrogate keys of an answer made from `dependencies`, sorted (the same on every replica).
 * When they do not fit `limits`, collections are made coarser one at a time, the one with the
 * most keys first — documents into `d:<c>:*`, then the whole collection into `c:<c> d:<c>:*` —
 * so the answer is purged more often, never less. Globals are never collapsed: there are few.
 */
export const surrogateKeysOf = (
  dependencies: Pick<ReadDependencies, 'documents' | 'lists'>,
  limits: SurrogateKeyLimits = defaultSurrogateKeyLimits,
): string[] => {
  const { collections, globals } = groupDependencies(dependencies)
  const detail = new Map<string, 'precise' | 'documentsCollapsed' | 'collapsed'>(
    [...collections.keys()].map((collection) => [collection, 'precise']),
  )
  const keysOf = (collection: string) =>
    keysOfCollection(
      collection,
      collections.get(collection) as CollectionKeys,
      detail.get(collection) ?? 'precise',
    )
  const allKeys = () => [...globals, ...[...collections.keys()].flatMap(keysOf)]
  // A collection with a key too long for any header goes first, then the one taking most room.
  const weightOf = (collection: string) => {
    const keys = keysOf(collection)
    const hasOverlongKey = keys.some((key) => key.length > limits.maxKeyLength)
    return (hasOverlongKey ? limits.maxHeaderBytes : 0) + headerBytes(keys)
  }
  for (let keys = allKeys(); !isWithin(keys, limits); keys = allKeys()) {
    const [heaviest] = [...collections.keys()]
      .filter((collection) => detail.get(collection) !== 'collapsed')
      .sort((left, right) => weightOf(right) - weightOf(left))
    // Everything is as coarse as it gets: two keys per collection, one per global. Sent as it is.
    if (heaviest === undefined) break
    detail.set(heaviest, detail.get(heaviest) === 'precise' ? 'documentsCollapsed' : 'collapsed')
  }
  return [...new Set(allKeys())].sort()
}

/**
 * The keys of an answer made from whole collections and globals, like the catalog document: one
 * that any change of them may alter.
 */
export const coarseSurrogateKeysOf = ({
  collections,
  globals,
}: {
  collections: Iterable<string>
  globals: Iterable<string>
}): string[] =>
  [
    ...[...collections].flatMap((collection) => [
      surrogateKey.collection(collection),
      surrogateKey.someDocuments(collection),
    ]),
    ...[...globals].map(surrogateKey.global),
  ].sort()

/** The keys to purge after `change`: those of every answer the change may alter (see above). */
export const purgeKeysOf = (change: CacheChange): string[] => {
  if (change.global !== undefined) return [surrogateKey.global(change.global)]
  const { collection, id, fields } = change
  if (id === undefined) return [surrogateKey.collection(collection)]
  const documentKeys = [
    surrogateKey.document(collection, id),
    surrogateKey.someDocuments(collection),
  ]
  if (!fields) return [...documentKeys, surrogateKey.list(collection)]
  return [
    ...documentKeys,
    surrogateKey.listField(collection, anyField),
    ...fields.map((field) => surrogateKey.listField(collection, field)),
  ]
}

/**
 * One key that covers at least every answer `change` may alter (and more): `c:<collection>` or
 * `g:<global>`. For a purger that could not send the precise keys.
 */
export const coarsePurgeKeysOf = (change: CacheChange): string[] =>
  change.global !== undefined
    ? [surrogateKey.global(change.global)]
    : [surrogateKey.collection(change.collection)]

/** The keys as headers: `Surrogate-Key` space-separated, `Cache-Tag` comma-separated. */
export const toSurrogateKeyHeaders = (keys: readonly string[]): Record<string, string> =>
  keys.length === 0 ? {} : { 'surrogate-key': keys.join(' '), 'cache-tag': keys.join(',') }

/**
 * Keys that cover every answer made from these collections and globals: for a purge of
 * everything the caches hold, after changes may have been missed.
 */
export const everythingPurgeKeysOf = ({
  collections,
  globals,
}: {
  collections: Iterable<string>
  globals: Iterable<string>
}): string[] => [
  ...[...collections].map(surrogateKey.collection),
  ...[...globals].map(surrogateKey.global),
]
