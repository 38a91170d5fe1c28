import {
  APIError,
  type CollectionBeforeOperationHook,
  type CollectionSlug,
  type FlattenedField,
  type PayloadRequest,
  type SanitizedConfig,
  type Where,
} from 'payload'

import { queryNotAllowedErrorName } from '../defaults'
import type { SanitizedPublicQueriesOptions } from '../types'
import { collectionsAlongPath, requestedSortPaths, type FieldsOf } from '../utilities/sortPaths'

type ReadAccess = boolean | Where

/** What a read or count operation is asked for, whichever of them it is. */
type ReadArgs = { draft?: boolean; sort?: unknown; where?: unknown; joins?: unknown }

const queryNotAllowed = (message: string) => {
  const error = new APIError(message, 400, null, true)
  // Payload names an error after its class, which a minifying build leaves nameless, and without
  // a name its REST answer drops the message.
  error.name = queryNotAllowedErrorName
  return error
}

/** The result of each collection's read rule for this request's reader, each evaluated once. */
const createReadAccessLookup = (req: PayloadRequest) => {
  const results = new Map<string, Promise<ReadAccess>>()
  return (collectionSlug: string): Promise<ReadAccess> => {
    let result = results.get(collectionSlug)
    if (!result) {
      const read = req.payload.collections[collectionSlug as CollectionSlug]?.config.access.read
      result = Promise.resolve(read ? read({ req }) : false)
      results.set(collectionSlug, result)
    }
    return result
  }
}

type ReadAccessLookup = ReturnType<typeof createReadAccessLookup>

const fieldsLookups = new WeakMap<SanitizedConfig, FieldsOf>()

/** The fields of each collection of a config, indexed once per config. */
const getFieldsOf = (config: SanitizedConfig): FieldsOf => {
  let fieldsOf = fieldsLookups.get(config)
  if (!fieldsOf) {
    const bySlug = new Map<string, FlattenedField[]>(
      config.collections.map((entry) => [entry.slug, entry.flattenedFields]),
    )
    fieldsOf = (slug) => bySlug.get(slug)
    fieldsLookups.set(config, fieldsOf)
  }
  return fieldsOf
}

/**
 * Payload orders by a related document's field (`sort=category.name`) without the related
 * collection's read rule: the order of published items gave away the names of draft categories.
 * A reader may sort through a relationship only into a collection they may read whole.
 */
const refuseSortsThroughUnreadableDocuments = async (
  req: PayloadRequest,
  collectionSlug: string,
  args: ReadArgs,
  readAccessOf: ReadAccessLookup,
) => {
  const fieldsOf = getFieldsOf(req.payload.config)
  const fields = fieldsOf(collectionSlug) ?? []
  for (const path of requestedSortPaths(args)) {
    for (const target of collectionsAlongPath(fieldsOf, fields, path)) {
      if ((await readAccessOf(target)) === true) continue
      throw queryNotAllowed(
        `sort: ${path} orders by ${target}, some of which you cannot read; sort by a field of ${collectionSlug} itself.`,
      )
    }
  }
}

/**
 * The rules of what a reader may ask a read or count for, beyond Payload's own:
 *
 * - **Drafts** (`?draft=true`, GraphQL's `draft: true`) are read from the version history only by
 *   readers whose read rule is unconditional (`true`); anyone else reads the documents as
 *   published, which is all their rule lets them see. Payload's draft read path adds the related
 *   collections' read rules to the rewritten query it validates, not to the one it runs, so
 *   `where[category.name][like]=…` matched fields of draft categories.
 * - **Sorts** may not go through a relationship into documents the reader cannot all read.
 * - **A `where` over REST or GraphQL** must pass the `checkWhere` option, when given.
 *
 * Server code with `overrideAccess` is not concerned.
 */
export const getReaderRulesHook =
  ({ options }: { options: SanitizedPublicQueriesOptions }): CollectionBeforeOperationHook =>
  async ({ args, collection, operation, overrideAccess, req }) => {
    if ((operation !== 'read' && operation !== 'count') || overrideAccess === true) return args
    const query = args as ReadArgs
    if (req.payloadAPI !== 'local' && options.checkWhere) {
      const whereProblem = options.checkWhere(query.where)
      if (whereProblem) throw queryNotAllowed(whereProblem)
    }
    const readAccessOf = createReadAccessLookup(req)
    await refuseSortsThroughUnreadableDocuments(req, collection.slug, query, readAccessOf)
    if (query.draft && (await readAccessOf(collection.slug)) !== true) {
      return { ...args, draft: false }
    }
    return args
  }
