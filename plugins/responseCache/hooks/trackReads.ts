import type {
  Access,
  CollectionAfterReadHook,
  CollectionBeforeOperationHook,
  GlobalAfterReadHook,
  PayloadRequest,
} from 'payload'

import {
  addListFields,
  anyField,
  currentReadDependencies,
  documentKey,
  globalKey,
} from '../readCache/dependencies'
import { sortFieldPaths } from '../../pluginKit'
import { addQueryDependencies } from '../readCache/queryFields'

/** Fields a list is always ordered by besides its sort: Payload's default order and tie-break. */
const implicitOrderFields = ['createdAt', 'id']

type JoinFieldLike = {
  type: string
  collection?: string | string[]
  on?: string
  defaultSort?: unknown
  where?: unknown
}

const targetsOf = (join: JoinFieldLike): string[] =>
  Array.isArray(join.collection) ? join.collection : join.collection ? [join.collection] : []

/**
 * A document with join fields lists other documents: those whose `on` field points to it, in the
 * join's order. A request that shapes the join itself (`?joins=…`) may read any of their fields.
 */
const addJoinDependencies = (fields: readonly JoinFieldLike[], req: PayloadRequest) => {
  const dependencies = currentReadDependencies()
  if (!dependencies) return
  const isShapedByRequest = Boolean((req.query as Record<string, unknown> | undefined)?.joins)
  for (const join of fields) {
    if (join.type !== 'join') continue
    for (const target of targetsOf(join)) {
      if (isShapedByRequest) addListFields(dependencies, target, [anyField])
      else {
        addListFields(dependencies, target, [join.on ?? anyField, ...implicitOrderFields])
        addQueryDependencies(dependencies, req.payload, target, {
          where: join.where,
          sort: join.defaultSort,
        })
      }
    }
  }
}

/** Records each document an answer contains, populated relations and join results included. */
export const getTrackDocumentReadHook =
  (): CollectionAfterReadHook =>
  ({ collection, doc, req }) => {
    const dependencies = currentReadDependencies()
    const id = (doc as { id?: unknown } | undefined)?.id
    if (dependencies && (typeof id === 'number' || typeof id === 'string')) {
      dependencies.documents.add(documentKey(collection.slug, id))
      addJoinDependencies(collection.flattenedFields as JoinFieldLike[], req)
    }
    return doc
  }

/** Records each list and count: the fields its `where` and `sort` read decide what it shows. */
export const getTrackListReadHook =
  (): CollectionBeforeOperationHook =>
  ({ args, collection, operation, req }) => {
    const dependencies = currentReadDependencies()
    if (!dependencies || (operation !== 'read' && operation !== 'count')) return args
    dependencies.operations += 1
    const query = args as { id?: unknown; where?: unknown; sort?: unknown }
    // One document by id: the document itself is what it depends on (see the afterRead hook).
    if (query.id !== undefined) return args
    const sort = query.sort ?? collection.defaultSort
    addQueryDependencies(dependencies, req.payload, collection.slug, { where: query.where, sort })
    addListFields(dependencies, collection.slug, [
      ...implicitOrderFields,
      ...sortFieldPaths(collection.defaultSort),
    ])
    return args
  }

export const getTrackGlobalReadHook =
  (): GlobalAfterReadHook =>
  ({ global, doc }) => {
    const dependencies = currentReadDependencies()
    if (dependencies) {
      dependencies.operations += 1
      dependencies.documents.add(globalKey(global.slug))
    }
    return doc
  }

/**
 * The read access rule, recording the fields of the `where` it answers with: a document whose
 * `_status` changes to published may appear in answers it was kept out of, at any depth.
 */
export const withTrackedReadAccess =
  (collection: string, read: Access): Access =>
  async (args) => {
    const result = await read(args)
    const dependencies = currentReadDependencies()
    if (dependencies && result && typeof result === 'object')
      addQueryDependencies(dependencies, args.req.payload, collection, { where: result })
    return result
  }

/** For collections and globals whose answers are never kept: an answer that reads them is not. */
export const getMarkUncacheableHook =
  () =>
  <T extends { args?: unknown; doc?: unknown }>(hookArgs: T) => {
    const dependencies = currentReadDependencies()
    if (dependencies) dependencies.isUncacheable = true
    return 'doc' in hookArgs ? hookArgs.doc : hookArgs.args
  }
