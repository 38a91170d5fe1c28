import { APIError, type PayloadRequest } from 'payload'

import { documentLimitErrorName, documentLimitMessage } from '../defaults'

type DocumentCount = { read: number }

/**
 * Kept on `req.context`, which Payload copies (shallowly) for each nested Local API call of the
 * request: an object, so that every copy shares the one count.
 */
const countKey = 'graphQLDocumentsRead'

/** The documents this GraphQL request has read so far, shared by its nested operations. */
export const documentCountOf = (req: Pick<PayloadRequest, 'context'>): DocumentCount => {
  const existing = req.context[countKey] as DocumentCount | undefined
  if (existing) return existing
  const created: DocumentCount = { read: 0 }
  req.context[countKey] = created
  return created
}

/** Reads a GraphQL client asked for: Payload's own and the app's checks override access. */
export const isClientRead = (req: Pick<PayloadRequest, 'payloadAPI'>, args: unknown): boolean =>
  req.payloadAPI === 'GraphQL' && (args as { overrideAccess?: unknown })?.overrideAccess !== true

export const documentLimitError = (maxDocuments: number): APIError => {
  const error = new APIError(documentLimitMessage(maxDocuments), 400, null, true)
  // Payload names an error after its class, which a minifying build leaves nameless; GraphQL
  // answers carry this name in `extensions.name`, and the app maps it to its HTTP status.
  error.name = documentLimitErrorName
  return error
}
