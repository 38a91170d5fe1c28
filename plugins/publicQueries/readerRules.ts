import {
  type CollectionBeforeOperationHook,
  type CollectionSlug,
  type PayloadRequest,
  type Where,
} from 'payload'

import { publicApiError } from '../../src/config/errors/publicApiError'
import { getSchema, tracePath } from '../../src/server/requestValidation/schema'
import { findWhereArgumentProblem } from '../../src/server/requestValidation/where'

type ReadAccess = boolean | Where

/** What a read or count operation is asked for, whichever of them it is. */
type ReadArgs = { draft?: boolean; sort?: unknown; where?: unknown; joins?: unknown }

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

const sortPaths = (sort: unknown): string[] => {
  const entries = Array.isArray(sort) ? sort : typeof sort === 'string' ? sort.split(',') : []
  return entries
    .filter((entry): entry is string => typeof entry === 'string')
    .map((entry) => entry.trim().replace(/^-/, '').replace(/__/g, '.'))
}

/** The sorts of the operation and of each of its joins (`joins[items][sort]`). */
const requestedSorts = ({ sort, joins }: ReadArgs): unknown[] => {
  const joinSorts =
    typeof joins === 'object' && joins !== null
      ? Object.values(joins).map((join) => (join as { sort?: unknown } | undefined)?.sort)
      : []
  return [sort, ...joinSorts]
}

type ReadAccessLookup = ReturnType<typeof createReadAccessLookup>

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
  const schema = getSchema(req.payload.config)
  const fields = schema.fieldsOf(collectionSlug) ?? []
  for (const path of requestedSorts(args).flatMap(sortPaths)) {
    for (const hop of tracePath(schema, fields, path).hops) {
      if ((await readAccessOf(hop.collectionSlug)) === true) continue
      throw publicApiError({
        name: 'QueryNotAllowedError',
        message: `sort: ${path} orders by ${hop.collectionSlug}, some of which you cannot read; sort by a field of ${collectionSlug} itself.`,
        status: 400,
      })
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
 * - **A `where` from GraphQL** is held to the size limits of the REST query string, and may not
 *   use `all`, which the database adapter lacks.
 *
 * Server code with `overrideAccess` is not concerned.
 */
export const getReaderRulesHook =
  (): CollectionBeforeOperationHook =>
  async ({ args, collection, operation, overrideAccess, req }) => {
    if ((operation !== 'read' && operation !== 'count') || overrideAccess === true) return args
    const query = args as ReadArgs
    if (req.payloadAPI !== 'local') {
      const whereProblem = findWhereArgumentProblem(query.where)
      if (whereProblem) {
        throw publicApiError({ name: 'QueryNotAllowedError', message: whereProblem, status: 400 })
      }
    }
    const readAccessOf = createReadAccessLookup(req)
    await refuseSortsThroughUnreadableDocuments(req, collection.slug, query, readAccessOf)
    if (query.draft && (await readAccessOf(collection.slug)) !== true) {
      return { ...args, draft: false }
    }
    return args
  }
