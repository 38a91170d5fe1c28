/** Options of {@link requestBodyGuardPlugin}. */
export type RequestBodyGuardOptions = {
  /**
   * Refuse REST writes that name a key which is no field of the collection or global (hidden
   * fields such as password hashes included). GraphQL already refuses them by its schema.
   * @default true
   */
  rejectUnknownFields?: boolean
  /**
   * Look up every relationship and upload id a client's write sends (REST, GraphQL, or the Local
   * API with `overrideAccess: false`), and refuse the write with a 400 naming the field when the
   * document does not exist (instead of the database's foreign-key error, a 500).
   * @default true
   */
  checkRelationsExist?: boolean
}

/** The options with every default applied, as the hooks read them. */
export type SanitizedRequestBodyGuardOptions = Required<RequestBodyGuardOptions>
