import { LRUCache } from 'lru-cache'

import type { CacheChange } from '../types'
import { toJsonCacheEntry, type CacheEntry } from '../utilities/responseCache'
import { documentKey, globalKey, isAffectedBy, type ReadDependencies } from './dependencies'

/** One cached answer: its bytes (and their encodings), the headers it keeps, what it was made of. */
export type StoredRead = {
  entry: CacheEntry
  /** Headers of Payload's answer that belong to it (Content-Type, CORS), sent with every hit. */
  headers: Record<string, string>
  /** The part of `headers` a 304 repeats: CORS, and the surrogate keys. */
  notModifiedHeaders: Record<string, string>
  dependencies: ReadDependencies
  size: number
}

export type EvictionReason = 'change' | 'capacity' | 'clear'

export type ReadCacheEvent =
  | { type: 'fill'; seconds: number; isStored: boolean }
  | { type: 'evict'; reason: EvictionReason; count: number }
  /** After every change in what is stored. */
  | { type: 'size'; entries: number; bytes: number }

/** An answer Payload produced that the store may keep: the JSON bytes and what they were made of. */
export type FillCandidate = {
  json: Buffer
  headers: Record<string, string>
  notModifiedHeaders: Record<string, string>
  dependencies: ReadDependencies
}

/** A fill in progress: completed once with what Payload answered, or nothing to keep. */
export type FillTicket = {
  complete: (candidate: FillCandidate | undefined) => StoredRead | undefined
}

type ReadStoreArgs = {
  maxBytes: number
  maxEntryBytes: number
  /**
   * Characters of request URLs kept as aliases of stored answers (see `addAlias`), all told.
   * @default maxBytes / 64
   */
  maxAliasChars?: number
  onEvent?: (event: ReadCacheEvent) => void
  /** Changes kept to check fills against: a fill that overlaps more changes is not kept. */
  changeLogSize?: number
  now?: () => number
}

/** Rough bytes of the bookkeeping of one entry beyond its bodies. */
const sizeOfDependencies = (key: string, dependencies: ReadDependencies) =>
  256 + key.length * 2 + dependencies.documents.size * 48 + dependencies.lists.size * 96

const collectionOf = (document: string) => document.slice(0, document.indexOf(':'))

/** Adds and removes keys in index sets, dropping a set once it is empty. */
const indexUpdater = (index: Map<string, Set<string>>) => ({
  add: (name: string, key: string) => {
    let keys = index.get(name)
    if (!keys) {
      keys = new Set()
      index.set(name, keys)
    }
    keys.add(key)
  },
  remove: (name: string, key: string) => {
    const keys = index.get(name)
    keys?.delete(key)
    if (keys?.size === 0) index.delete(name)
  },
})

/**
 * The stored answers by what they depend on: a document, a collection whose lists they show, any
 * part of a collection. A change looks up the answers it may affect here instead of scanning.
 */
const createDependencyIndex = () => {
  const byDocument = new Map<string, Set<string>>()
  const byListCollection = new Map<string, Set<string>>()
  const byCollection = new Map<string, Set<string>>()
  const documents = indexUpdater(byDocument)
  const lists = indexUpdater(byListCollection)
  const collections = indexUpdater(byCollection)

  const update = (
    key: string,
    { documents: read, lists: listed }: ReadDependencies,
    isAdd: boolean,
  ) => {
    const apply = (updater: ReturnType<typeof indexUpdater>, name: string) =>
      isAdd ? updater.add(name, key) : updater.remove(name, key)
    for (const document of read) {
      apply(documents, document)
      apply(collections, collectionOf(document))
    }
    for (const collection of listed.keys()) {
      apply(lists, collection)
      apply(collections, collection)
    }
  }

  return {
    add: (key: string, dependencies: ReadDependencies) => update(key, dependencies, true),
    remove: (key: string, dependencies: ReadDependencies) => update(key, dependencies, false),
    /** The keys `change` may affect; `dependenciesOf` reads a listed entry's dependencies. */
    affectedKeys: (
      change: CacheChange,
      dependenciesOf: (key: string) => ReadDependencies | undefined,
    ): string[] => {
      if (change.global !== undefined) return [...(byDocument.get(globalKey(change.global)) ?? [])]
      if (change.id === undefined) return [...(byCollection.get(change.collection) ?? [])]
      const keys = new Set(byDocument.get(documentKey(change.collection, change.id)))
      for (const key of byListCollection.get(change.collection) ?? []) {
        const dependencies = dependenciesOf(key)
        if (dependencies && isAffectedBy(dependencies, change)) keys.add(key)
      }
      return [...keys]
    },
  }
}

/** Aliases of one answer at most: cache-busting parameters make new URLs, not new aliases. */
const maxAliasesPerEntry = 8

/** Longer URLs are looked up by their canonical key only. */
export const maxAliasLength = 2048

/**
 * Request URLs (as sent, with whatever else decides the answer) of stored answers: a repeat of a
 * URL finds its answer without parsing the query into the canonical key. An alias names the
 * canonical key, which stays the truth: the alias goes when its entry goes, and an alias whose
 * entry is gone finds nothing. Bounded per entry and in characters overall.
 */
export const createAliasIndex = (maxChars: number) => {
  const keyOf = new Map<string, string>()
  const aliasesOf = new Map<string, string[]>()
  let chars = 0
  const remove = (key: string) => {
    const aliases = aliasesOf.get(key)
    if (!aliases) return
    aliasesOf.delete(key)
    for (const alias of aliases) {
      keyOf.delete(alias)
      chars -= alias.length
    }
  }
  return {
    keyOf: (alias: string): string | undefined => keyOf.get(alias),
    add: (alias: string, key: string): boolean => {
      if (keyOf.has(alias) || alias.length > maxAliasLength || chars + alias.length > maxChars)
        return false
      const aliases = aliasesOf.get(key) ?? []
      if (aliases.length >= maxAliasesPerEntry) return false
      aliases.push(alias)
      aliasesOf.set(key, aliases)
      keyOf.set(alias, key)
      chars += alias.length
      return true
    },
    /** Forgets every alias of `key`: its entry is gone or replaced. */
    remove,
    clear: () => {
      keyOf.clear()
      aliasesOf.clear()
      chars = 0
    },
    stats: () => ({ aliases: keyOf.size, chars }),
  }
}

/**
 * The last `size` changes, numbered, and the clears: a fill notes where the log stood when it
 * started, and at its end asks whether anything since may have changed what it read.
 */
const createChangeLog = (size: number) => {
  const changes: CacheChange[] = []
  let changeCount = 0
  let clearCount = 0
  return {
    record: (change: CacheChange) => {
      changes.push(change)
      if (changes.length > size) changes.shift()
      changeCount += 1
    },
    recordClear: () => {
      clearCount += 1
    },
    mark: () => ({ changeCount, clearCount }),
    /** Whether a change or clear since `mark` may affect `dependencies` (too old to tell: yes). */
    hasOverlap: (
      dependencies: ReadDependencies,
      mark: { changeCount: number; clearCount: number },
    ) => {
      if (clearCount !== mark.clearCount) return true
      const missed = changeCount - mark.changeCount
      if (missed > changes.length) return true
      return changes
        .slice(changes.length - missed)
        .some((change) => isAffectedBy(dependencies, change))
    },
  }
}

/**
 * The stored answers by key, least recently used first out. Every way an entry leaves (change,
 * capacity, replacement, clear) goes through `dispose`: its index entries and aliases go with it.
 */
const createEntries = ({
  maxBytes,
  onEvent,
  index,
  aliases,
}: {
  maxBytes: number
  onEvent: (event: ReadCacheEvent) => void
  index: ReturnType<typeof createDependencyIndex>
  aliases: ReturnType<typeof createAliasIndex>
}) =>
  new LRUCache<string, StoredRead>({
    maxSize: maxBytes,
    sizeCalculation: (stored) => stored.size,
    dispose: (stored, key, reason) => {
      index.remove(key, stored.dependencies)
      aliases.remove(key)
      if (reason === 'evict') onEvent({ type: 'evict', reason: 'capacity', count: 1 })
    },
  })

/**
 * The answers of anonymous reads, bounded in bytes (least recently used go first), each indexed by
 * the documents and list fields it depends on, so a change finds the entries it affects without a
 * scan. Fills are single-flight per key, and a fill that overlapped a change affecting what it
 * read is served once but not kept: it may hold data from before the change.
 */
export const createReadStore = ({
  maxBytes,
  maxEntryBytes,
  maxAliasChars = Math.floor(maxBytes / 64),
  onEvent = () => undefined,
  changeLogSize = 1024,
  now = Date.now,
}: ReadStoreArgs) => {
  const index = createDependencyIndex()
  const aliases = createAliasIndex(maxAliasChars)

  const entries = createEntries({ maxBytes, onEvent, index, aliases })

  const changeLog = createChangeLog(changeLogSize)
  const inFlight = new Map<string, Promise<StoredRead | undefined>>()

  const evict = (keys: Iterable<string>, reason: EvictionReason) => {
    let count = 0
    for (const key of [...keys]) if (entries.delete(key)) count += 1
    if (count === 0) return
    onEvent({ type: 'evict', reason, count })
    reportSize()
  }

  const reportSize = () =>
    onEvent({ type: 'size', entries: entries.size, bytes: entries.calculatedSize })

  const store = (key: string, candidate: FillCandidate): StoredRead | undefined => {
    const entry = toJsonCacheEntry(candidate.json, now())
    // Both encodings made once, now: every later hit sends bytes that are already there.
    const size =
      entry.json.length +
      entry.encoded('br').length +
      entry.encoded('gzip').length +
      sizeOfDependencies(key, candidate.dependencies)
    if (size > maxEntryBytes) return undefined
    const stored: StoredRead = { ...candidate, entry, size }
    entries.set(key, stored)
    index.add(key, stored.dependencies)
    reportSize()
    return stored
  }

  return {
    /** The stored answer for `key`, counted as recently used. */
    lookup: (key: string): StoredRead | undefined => entries.get(key),
    /** The stored answer `alias` was recorded for, counted as recently used; else undefined. */
    lookupAlias: (alias: string): StoredRead | undefined => {
      const key = aliases.keyOf(alias)
      return key === undefined ? undefined : entries.get(key)
    },
    /**
     * Records `alias` (a request URL, say) for the answer stored under `key`, so `lookupAlias`
     * finds it; false when `key` holds nothing or the alias bounds are reached.
     */
    addAlias: (alias: string, key: string): boolean => entries.has(key) && aliases.add(alias, key),
    /** The fill in progress for `key`: wait for it instead of asking Payload a second time. */
    pendingFill: (key: string): Promise<StoredRead | undefined> | undefined => inFlight.get(key),
    /** Starts the one fill of `key`; others asking meanwhile wait for its outcome. */
    beginFill: (key: string): FillTicket => {
      const startedAt = now()
      const mark = changeLog.mark()
      let resolve: (stored: StoredRead | undefined) => void = () => undefined
      inFlight.set(key, new Promise((settle) => (resolve = settle)))
      return {
        complete: (candidate) => {
          const isKeepable =
            candidate !== undefined && !changeLog.hasOverlap(candidate.dependencies, mark)
          const stored = isKeepable ? store(key, candidate) : undefined
          inFlight.delete(key)
          resolve(stored)
          onEvent({ type: 'fill', seconds: (now() - startedAt) / 1000, isStored: Boolean(stored) })
          return stored
        },
      }
    },
    /** Evicts exactly the entries `change` may affect; fills in progress will not keep theirs. */
    applyChange: (change: CacheChange) => {
      changeLog.record(change)
      evict(
        index.affectedKeys(change, (key) => entries.peek(key)?.dependencies),
        'change',
      )
    },
    /** Drops everything: changes may have been missed. */
    clear: () => {
      changeLog.recordClear()
      const count = entries.size
      entries.clear()
      aliases.clear()
      if (count === 0) return
      onEvent({ type: 'evict', reason: 'clear', count })
      reportSize()
    },
    stats: () => ({ entries: entries.size, bytes: entries.calculatedSize }),
  }
}

export type ReadStore = ReturnType<typeof createReadStore>
