import type { CollectionAfterChangeHook, CollectionAfterDeleteHook } from 'payload'

import { fileURLsOf, replacedFileURLs } from '../utilities/fileURLs'
import { getCdnPurgeState, noteFiles } from '../utilities/registry'

type FileHookArgs = { urlPrefixes: readonly string[] }

/**
 * A deleted upload's file URLs, noted until its change comes back committed and is purged. Runs
 * on the replica that made the change, which is the one that purges it.
 */
export const getNoteDeletedFilesHook =
  ({ urlPrefixes }: FileHookArgs): CollectionAfterDeleteHook =>
  ({ collection, doc, id, req }) => {
    const state = getCdnPurgeState(req.payload)
    // No purge target on this instance: nobody would ever send what is noted.
    if (!state.purger) return doc
    noteFiles(state, {
      collection: collection.slug,
      id,
      urls: fileURLsOf(doc, urlPrefixes),
    })
    return doc
  }

/** The file URLs an update replaced (a new file for the same document). */
export const getNoteReplacedFilesHook =
  ({ urlPrefixes }: FileHookArgs): CollectionAfterChangeHook =>
  ({ collection, doc, previousDoc, operation, req }) => {
    if (operation !== 'update') return doc
    const id = (doc as { id?: number | string }).id
    const state = getCdnPurgeState(req.payload)
    if (id === undefined || !state.purger) return doc
    noteFiles(state, {
      collection: collection.slug,
      id,
      urls: replacedFileURLs(previousDoc, doc, urlPrefixes),
    })
    return doc
  }
