import { AsyncLocalStorage } from 'node:async_hooks'

import { getProcessSingleton } from '../../lib/processSingleton'

/** The request a piece of work runs for, as far as the logs are concerned. */
export type RequestLogContext = {
  reqId: string
  /** The request's Content-Type: whether a body parse error is the client's (see logger.ts). */
  contentType?: string
  /** Set when the response has ended: work it started and that outlives it is not its own. */
  isDone?: boolean
}

/** Shared by the HTTP server (which opens a context) and the logger handed to Payload. */
const getContexts = () =>
  getProcessSingleton(
    'catalog-cms.requestLogContexts',
    () => new AsyncLocalStorage<RequestLogContext>(),
  )

/** Runs `work` for the request in `context`: every line it logs carries the request id. */
export const runInRequestLogContext = <T>(context: RequestLogContext, work: () => T): T =>
  getContexts().run(context, work)

/**
 * The fields every log line written while serving a request carries: Payload's error lines, the
 * database's, ours. Without them an error line cannot be found from the id a user reports.
 */
export const requestLogFields = (): { reqId?: string } => {
  const context = getContexts().getStore()
  return context && !context.isDone ? { reqId: context.reqId } : {}
}

/** The Content-Type of the request being served, if any. */
export const currentRequestContentType = (): string | undefined =>
  getContexts().getStore()?.contentType
