/** Options of {@link graphQLDocumentBudgetPlugin}. */
export type GraphQLDocumentBudgetPluginOptions = {
  /**
   * Documents one GraphQL request may read, counted as they are read, across every collection.
   * The read that takes a request past it, and every read after, is refused with a 400.
   * @default 2000
   */
  maxDocuments?: number
}

export type SanitizedGraphQLDocumentBudgetOptions = Required<GraphQLDocumentBudgetPluginOptions>
