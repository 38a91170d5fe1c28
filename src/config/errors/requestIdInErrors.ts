import type { AfterErrorHook } from 'payload'

import { requestIdHeader } from '../../server/observability/requestId'

/** Puts the request id in every error response, so a user's report leads straight to the log line. */
export const requestIdAfterErrorHook: AfterErrorHook = ({ req, result }) => {
  const requestId = req.headers?.get(requestIdHeader)
  if (!requestId) return
  return { response: { ...(result as object), requestId } }
}
