import type { CollectionAfterReadHook } from 'payload'

import { withAbsoluteFileURLs, type FileURLSettings } from '../utilities/absoluteFileURLs'

/**
 * Hands out file URLs a reader can use from anywhere: see {@link withAbsoluteFileURLs}. A
 * collection hook, so it runs after every field hook (the storage adapter's URLs included), for
 * documents read directly and populated into others alike.
 */
export const getAbsoluteFileURLsHook =
  (settings: FileURLSettings): CollectionAfterReadHook =>
  ({ doc }) =>
    withAbsoluteFileURLs(doc, settings)
