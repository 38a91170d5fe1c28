import type { Payload } from 'payload'

import { unclaimedFilesMs } from '../defaults'
import type { CdnPurger } from './createCdnPurger'

type NotedFiles = { urls: Set<string>; notedAt: number }

/** What the plugin keeps per Payload instance. */
export type CdnPurgeState = {
  /** Undefined when no target is configured (and no purger was put in). */
  purger?: CdnPurger
  /** File URLs of deleted or replaced files, by `collection:id`, until the change is committed. */
  notedFiles: Map<string, NotedFiles>
  sweepTimer?: NodeJS.Timeout
}

const statesKey = Symbol.for('@catalog-cms/cdn-purge.states')
type StatesHolder = { [statesKey]?: WeakMap<Payload, CdnPurgeState> }

/**
 * The state of one Payload instance. On `globalThis`, as the response cache's registry is: the
 * custom server and Next.js may load this module twice, and both must see one state.
 */
export const getCdnPurgeState = (payload: Payload): CdnPurgeState => {
  const holder = globalThis as StatesHolder
  holder[statesKey] ??= new WeakMap()
  const known = holder[statesKey].get(payload)
  if (known) return known
  const created: CdnPurgeState = { notedFiles: new Map() }
  holder[statesKey].set(payload, created)
  return created
}

const documentKey = (collection: string, id: number | string) => `${collection}:${id}`

/** Keeps the URLs of files a change removed, to purge once the change has committed. */
export const noteFiles = (
  state: CdnPurgeState,
  { collection, id, urls }: { collection: string; id: number | string; urls: string[] },
) => {
  if (urls.length === 0) return
  const key = documentKey(collection, id)
  const noted = state.notedFiles.get(key) ?? { urls: new Set<string>(), notedAt: Date.now() }
  for (const url of urls) noted.urls.add(url)
  state.notedFiles.set(key, noted)
}

/** The noted file URLs of a document, forgotten once taken. */
export const takeFiles = (
  state: CdnPurgeState,
  change: { collection?: string; id?: number | string } | undefined,
): string[] => {
  if (change?.collection === undefined || change.id === undefined) return []
  const key = documentKey(change.collection, change.id)
  const noted = state.notedFiles.get(key)
  state.notedFiles.delete(key)
  return noted ? [...noted.urls] : []
}

/**
 * Noted files whose change never came back committed (it rolled back, or a bulk job announced
 * nothing), taken once they are `unclaimedFilesMs` old. Their files were removed from storage
 * before the commit either way; purging a URL that still exists costs one miss.
 */
export const takeUnclaimedFiles = (state: CdnPurgeState, now = Date.now()): string[] => {
  const urls: string[] = []
  for (const [key, noted] of state.notedFiles) {
    if (now - noted.notedAt < unclaimedFilesMs) continue
    state.notedFiles.delete(key)
    urls.push(...noted.urls)
  }
  return urls
}
