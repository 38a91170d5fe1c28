import { AsyncLocalStorage } from 'node:async_hooks'

import type { CacheChange } from '../types'

/** Any field of a collection: a change to it may affect the answer. */
export const anyField = '*'

/**
 * What one cached answer was made from, recorded while Payload produced it: the answer may differ
 * after a change to any of these, and after no other change.
 */
export type ReadDependencies = {
  /** Every document the answer contains, at every depth: `collection:id` and `global:slug`. */
  documents: Set<string>
  /**
   * Per collection, the fields that decide which of its documents an answer lists, and in what
   * order: a list's `where` and `sort`, the read access rule's own `where`, join fields. A change
   * to one of these fields of any document may make it enter, leave or move in the answer.
   * `*` stands for every field.
   */
  lists: Map<string, Set<string>>
  /** How many Payload read operations ran: an answer that ran none was not made from data we track. */
  operations: number
  /** Set when the answer read something the cache may not keep (a collection it does not track). */
  isUncacheable: boolean
}

export const createReadDependencies = (): ReadDependencies => ({
  documents: new Set(),
  lists: new Map(),
  operations: 0,
  isUncacheable: false,
})

export const documentKey = (collection: string, id: number | string): string =>
  `${collection}:${id}`

export const globalKey = (slug: string): string => `global:${slug}`

/** Records that `fields` of `collection` decide what the answer lists. */
export const addListFields = (
  dependencies: ReadDependencies,
  collection: string,
  fields: Iterable<string>,
): void => {
  let known = dependencies.lists.get(collection)
  if (!known) {
    known = new Set()
    dependencies.lists.set(collection, known)
  }
  for (const field of fields) known.add(field)
}

const trackingKey = Symbol.for('@catalog-cms/response-cache.read-tracking')
type TrackingHolder = { [trackingKey]?: AsyncLocalStorage<ReadDependencies> }

/**
 * One store for the process: the HTTP server that opens a tracked read and the hooks that record
 * into it may be loaded in two module graphs (a custom server beside Next.js's bundle).
 */
const getTracking = (): AsyncLocalStorage<ReadDependencies> => {
  const holder = globalThis as TrackingHolder
  holder[trackingKey] ??= new AsyncLocalStorage<ReadDependencies>()
  return holder[trackingKey]
}

/** Runs `work` (a request Payload answers) recording what it reads into `dependencies`. */
export const runTrackingReads = <T>(dependencies: ReadDependencies, work: () => T): T =>
  getTracking().run(dependencies, work)

/** The dependencies of the answer being produced, or undefined outside a tracked read. */
export const currentReadDependencies = (): ReadDependencies | undefined => getTracking().getStore()

/**
 * Whether `change` may alter an answer made from `dependencies`: it changed a document the answer
 * contains, or a field that decides what one of its lists shows. A change that names no document
 * (or no fields) is taken as touching everything of its collection.
 */
export const isAffectedBy = (dependencies: ReadDependencies, change: CacheChange): boolean => {
  if (change.global !== undefined) return dependencies.documents.has(globalKey(change.global))
  const { collection, id, fields } = change
  if (id === undefined) return dependsOnCollection(dependencies, collection)
  if (dependencies.documents.has(documentKey(collection, id))) return true
  const listFields = dependencies.lists.get(collection)
  if (!listFields) return false
  if (!fields || listFields.has(anyField)) return true
  return fields.some((field) => listFields.has(field))
}

const dependsOnCollection = (dependencies: ReadDependencies, collection: string): boolean => {
  if (dependencies.lists.has(collection)) return true
  const prefix = `${collection}:`
  for (const document of dependencies.documents) if (document.startsWith(prefix)) return true
  return false
}
