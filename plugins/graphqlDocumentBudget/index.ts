import type {
  CollectionAfterOperationHook,
  CollectionBeforeOperationHook,
  FlattenedField,
  PayloadRequest,
  Plugin,
  SanitizedConfig,
} from 'payload'

import { publicApiError } from '../../src/config/errors/publicApiError'
import { formatCount } from '../../src/config/graphql/graphqlCost'

/** The name GraphQL answers carry in `extensions.name` when a request read too many documents. */
export const documentLimitErrorName = 'GraphQLDocumentLimitError'

export const documentLimitMessage = (limit: number) =>
  `The query read more than ${formatCount(limit)} documents, the limit per request. Ask for smaller pages (limit) in the lists it nests, or split it into several queries.`

type DocumentCount = { read: number }

/**
 * Kept on `req.context`, which Payload copies (shallowly) for each nested Local API call of the
 * request: an object, so that every copy shares the one count.
 */
const countKey = 'graphQLDocumentsRead'

const documentCountOf = (req: PayloadRequest): DocumentCount => {
  const existing = req.context[countKey] as DocumentCount | undefined
  if (existing) return existing
  const created: DocumentCount = { read: 0 }
  req.context[countKey] = created
  return created
}

/** Reads a GraphQL client asked for: Payload's own and the app's checks override access. */
const isClientRead = (req: PayloadRequest, args: unknown): boolean =>
  req.payloadAPI === 'GraphQL' && (args as { overrideAccess?: unknown })?.overrideAccess !== true

const joinPageSizes = new WeakMap<SanitizedConfig, Map<string, number>>()

const collectJoins = (fields: FlattenedField[], sizes: Map<string, number>) => {
  for (const field of fields) {
    if (field.type === 'join') {
      const pageSize = field.defaultLimit ?? 10
      for (const target of [field.collection].flat()) {
        sizes.set(target, Math.max(sizes.get(target) ?? 0, pageSize))
      }
    } else if ('flattenedFields' in field) {
      collectJoins(field.flattenedFields, sizes)
    }
  }
}

/**
 * The page size of a join into a collection asked without `limit`: the join's `defaultLimit`, as
 * REST applies it (Payload's default 10), or the largest one when several joins lead there.
 */
const joinPageSizeOf = (config: SanitizedConfig, collection: string): number => {
  let sizes = joinPageSizes.get(config)
  if (!sizes) {
    sizes = new Map()
    for (const candidate of config.collections) collectJoins(candidate.flattenedFields, sizes)
    joinPageSizes.set(config, sizes)
  }
  return sizes.get(collection) ?? 10
}

/** The operations that read documents, as `beforeOperation` hooks see them. */
const readOperations = new Set(['read', 'findVersions', 'findVersionByID'])

type DocumentBudgetOptions = {
  /** Documents one GraphQL request may read, counted as they are read. */
  maxDocuments: number
}

/**
 * Refuses a read once the request has read more than the limit, so work that has started stops at
 * the next read instead of running on.
 *
 * Also bounds the one read Payload's GraphQL leaves unbounded: a join asked without `limit` reads
 * every related document (REST gives it the join's `defaultLimit`). In a GraphQL request, `limit: 0`
 * reaches a read only from there — `limit: 0` in a query is refused, the relationship loader
 * passes no limit — and gets the join's page size instead, which is what the cost estimate counts.
 */
const getBeforeReadHook =
  ({ maxDocuments }: DocumentBudgetOptions): CollectionBeforeOperationHook =>
  ({ args, collection, operation, req }) => {
    if (!readOperations.has(operation) || !isClientRead(req, args)) return args
    if (documentCountOf(req).read > maxDocuments) throw documentLimitError(maxDocuments)
    if (operation === 'read' && (args as { limit?: unknown }).limit === 0) {
      return { ...args, limit: joinPageSizeOf(req.payload.config, collection.slug) }
    }
    return args
  }

const documentsIn = (operation: string, result: unknown): number => {
  if (operation === 'find' || operation === 'findVersions') {
    const docs = (result as { docs?: unknown } | undefined)?.docs
    return Array.isArray(docs) ? docs.length : 0
  }
  return operation === 'findByID' || operation === 'findVersionByID' ? 1 : 0
}

/** Counts what each read returned, and refuses the request past the limit. */
const getAfterReadHook =
  ({ maxDocuments }: DocumentBudgetOptions): CollectionAfterOperationHook =>
  ({ args, operation, req, result }) => {
    const documents = documentsIn(operation, result)
    if (documents === 0 || !isClientRead(req, args)) return result
    const count = documentCountOf(req)
    count.read += documents
    if (count.read > maxDocuments) throw documentLimitError(maxDocuments)
    return result
  }

const documentLimitError = (maxDocuments: number) =>
  publicApiError({
    name: documentLimitErrorName,
    message: documentLimitMessage(maxDocuments),
    status: 400,
  })

/**
 * The run-time side of the GraphQL document limit: counts the documents each GraphQL request
 * actually reads, in every collection. The cost estimate refuses a query before it runs when its
 * lists could hold more; this count also holds what no estimate can see — a `hasMany` list longer
 * than assumed, relationships and uploads inside rich text, which Payload populates as it resolves
 * the field. The GraphQL route answers such a request 400 as a whole.
 */
export const graphQLDocumentBudgetPlugin =
  (options: DocumentBudgetOptions): Plugin =>
  (incoming) => ({
    ...incoming,
    collections: incoming.collections?.map((collection) => ({
      ...collection,
      hooks: {
        ...collection.hooks,
        beforeOperation: [...(collection.hooks?.beforeOperation ?? []), getBeforeReadHook(options)],
        afterOperation: [...(collection.hooks?.afterOperation ?? []), getAfterReadHook(options)],
      },
    })),
  })
