/** Options of {@link publicQueriesPlugin}. */
export type PublicQueriesPluginOptions = {
  /**
   * Longest a statement of an anonymous REST or GraphQL read or count may run, in milliseconds;
   * PostgreSQL stops it then and the client gets a 503.
   * @default 2000
   */
  statementTimeoutMs?: number
  /**
   * Checks the `where` of a REST or GraphQL read or count (from any reader) before it runs, and
   * returns why it is refused, or undefined. Refused queries are answered 400 with that message.
   * Use it to bound what arrives as GraphQL arguments, which no query-string check sees.
   * @default undefined (Payload's own query validation only)
   */
  checkWhere?: (where: unknown) => string | undefined
}

/** Options with every default applied, as the hooks receive them. */
export type SanitizedPublicQueriesOptions = Required<
  Omit<PublicQueriesPluginOptions, 'checkWhere'>
> &
  Pick<PublicQueriesPluginOptions, 'checkWhere'>
