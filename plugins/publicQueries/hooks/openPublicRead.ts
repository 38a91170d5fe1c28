import { sql } from '@payloadcms/db-postgres'
import type {
  CollectionAfterOperationHook,
  CollectionBeforeOperationHook,
  Payload,
  PayloadRequest,
} from 'payload'

import { beginReadTransaction, getTransactionExecutor } from '../../payloadInternals'
import { abandonedTransactionMs } from '../defaults'
import type { SanitizedPublicQueriesOptions } from '../types'

/** Marks the operation arguments of an anonymous read with the transaction it runs in. */
const publicReadTransaction: unique symbol = Symbol('publicReadTransaction')

type OpenTransaction = { id: number | string; guard: NodeJS.Timeout }
type MarkedArgs = { [publicReadTransaction]?: OpenTransaction }

/**
 * An anonymous client's query: no user, over REST or GraphQL (the server's own Local API reads
 * are trusted), with access rules applied.
 */
const isPublicQuery = (req: PayloadRequest, overrideAccess: boolean | undefined) =>
  !req.user && req.payloadAPI !== 'local' && overrideAccess !== true

/** `set_config(…, true)` is `SET LOCAL`: a pooled connection goes back to the pool without it. */
const setLocalStatementTimeout = async ({
  payload,
  id,
  statementTimeoutMs,
}: {
  payload: Payload
  id: number | string
  statementTimeoutMs: number
}) => {
  const transaction = await getTransactionExecutor({ payload, transactionID: id })
  if (!transaction) throw new Error(`The read transaction ${id} is not open.`)
  await transaction.execute(
    sql`select set_config('statement_timeout', ${String(statementTimeoutMs)}, true)`,
  )
}

/**
 * Opens the transaction an anonymous read or count runs in, with PostgreSQL's
 * `statement_timeout` set for it alone, on a read replica when there are any. Nested operations of
 * the same request (the population of relationships) join it, so their statements are bounded too.
 */
export const getOpenPublicReadHook =
  ({ options }: { options: SanitizedPublicQueriesOptions }): CollectionBeforeOperationHook =>
  async ({ args, operation, overrideAccess, req }) => {
    if (operation !== 'read' && operation !== 'count') return args
    if (!isPublicQuery(req, overrideAccess) || req.transactionID) return args
    const { payload } = req
    const id = await beginReadTransaction(payload)
    if (id === null) return args
    const guard = setTimeout(() => {
      payload.db.rollbackTransaction(id).catch(() => undefined)
    }, abandonedTransactionMs)
    guard.unref()
    try {
      await setLocalStatementTimeout({
        payload,
        id,
        statementTimeoutMs: options.statementTimeoutMs,
      })
    } catch (error) {
      clearTimeout(guard)
      await payload.db.rollbackTransaction(id)
      throw error
    }
    req.transactionID = id
    // A symbol property, enumerable so that hooks returning `{ ...args }` keep it.
    return Object.assign(args, { [publicReadTransaction]: { id, guard } })
  }

/** Commits the transaction {@link getOpenPublicReadHook} opened, once its operation is done. */
export const getClosePublicReadHook =
  (): CollectionAfterOperationHook =>
  async ({ args, req, result }) => {
    const transaction = (args as MarkedArgs)[publicReadTransaction]
    if (!transaction) return result
    clearTimeout(transaction.guard)
    await req.payload.db.commitTransaction(transaction.id)
    if (req.transactionID === transaction.id) delete req.transactionID
    return result
  }
