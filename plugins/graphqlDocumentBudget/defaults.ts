import type {
  GraphQLDocumentBudgetPluginOptions,
  SanitizedGraphQLDocumentBudgetOptions,
} from './types'

/** Ten lists of 100 documents each with two relations: more than a page needs, far from a dump. */
export const defaultMaxDocuments = 2000

/** Payload's page size of a join without `defaultLimit`. */
export const payloadDefaultJoinLimit = 10

/** The name GraphQL answers carry in `extensions.name` when a request read too many documents. */
export const documentLimitErrorName = 'GraphQLDocumentLimitError'

export const documentLimitMessage = (limit: number) =>
  `The query read more than ${limit.toLocaleString('en-US')} documents, the limit per request. Ask for smaller pages (limit) in the lists it nests, or split it into several queries.`

export const sanitizeDocumentBudgetOptions = (
  options: GraphQLDocumentBudgetPluginOptions,
): SanitizedGraphQLDocumentBudgetOptions => ({
  maxDocuments: options.maxDocuments ?? defaultMaxDocuments,
})
