import { sql, type PostgresAdapter } from '@payloadcms/db-postgres'
import type {
  AfterErrorHook,
  CollectionAfterOperationHook,
  CollectionBeforeOperationHook,
  PayloadRequest,
} from 'payload'

/** Marks the operation arguments of an anonymous read with the transaction it runs in. */
const publicReadTransaction: unique symbol = Symbol('publicReadTransaction')

type OpenTransaction = { id: number | string; guard: NodeJS.Timeout }
type MarkedArgs = { [publicReadTransaction]?: OpenTransaction }

/**
 * A read that ended without its afterOperation hook (an early return Payload makes with
 * `disableErrors`, or an error another operation on the same request rolled back) would hold its
 * connection forever; this rolls it back instead. Far longer than any read: each statement is
 * already bounded by the statement timeout.
 */
const abandonedTransactionMs = 30_000

/**
 * An anonymous client's query: no user, over REST or GraphQL (the server's own Local API reads,
 * such as the catalog build, are trusted), with access rules applied.
 */
const isPublicQuery = (req: PayloadRequest, overrideAccess: boolean | undefined) =>
  !req.user && req.payloadAPI !== 'local' && overrideAccess !== true

type ReplicaSet = { $replicas?: unknown[] }

/**
 * Begins a transaction where a read outside one would run: on a read replica when there are any
 * (drizzle's replica set lists them as `$replicas`), else on the primary. Payload's own
 * beginTransaction does the work; left alone it always opens on the primary, since it expects
 * writes, and would move every anonymous read off the replicas.
 */
const beginReadTransaction = (adapter: PostgresAdapter) => {
  const replicas = (adapter.drizzle as ReplicaSet).$replicas
  if (!replicas?.length) return adapter.beginTransaction()
  const replica = replicas[Math.floor(Math.random() * replicas.length)]
  const onReplica = Object.assign(Object.create(adapter) as PostgresAdapter, { drizzle: replica })
  return adapter.beginTransaction.call(onReplica)
}

/**
 * Opens the transaction an anonymous read or count runs in, with PostgreSQL's
 * `statement_timeout` set for it alone (`set_config(…, true)` is `SET LOCAL`): a pooled
 * connection goes back to the pool without it. Nested operations of the same request (the
 * population of relationships) join it, so their statements are bounded too.
 */
export const getOpenPublicReadHook =
  ({ statementTimeoutMs }: { statementTimeoutMs: number }): CollectionBeforeOperationHook =>
  async ({ args, operation, overrideAccess, req }) => {
    if (operation !== 'read' && operation !== 'count') return args
    if (!isPublicQuery(req, overrideAccess) || req.transactionID) return args
    const adapter = req.payload.db as unknown as PostgresAdapter
    const id = await beginReadTransaction(adapter)
    if (id === null) return args
    const guard = setTimeout(() => {
      adapter.rollbackTransaction(id).catch(() => undefined)
    }, abandonedTransactionMs)
    guard.unref()
    try {
      await adapter.sessions[id].db.execute(
        sql`select set_config('statement_timeout', ${String(statementTimeoutMs)}, true)`,
      )
    } catch (error) {
      clearTimeout(guard)
      await adapter.rollbackTransaction(id)
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

/** `query_canceled`: PostgreSQL's answer when the statement timeout (or a cancel) ends a query. */
const queryCanceledState = '57014'

type WrappedError = { code?: unknown; cause?: unknown; originalError?: unknown }

/** Whether PostgreSQL cancelled the statement: the error, or one it wraps (drizzle's, GraphQL's). */
export const isStatementTimeoutError = (error: unknown): boolean => {
  let current: unknown = error
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const { code, cause, originalError } = current as WrappedError
    if (code === queryCanceledState) return true
    current = originalError ?? cause
  }
  return false
}

export const statementTimeoutMessage = (statementTimeoutMs: number) =>
  `The query ran longer than the ${statementTimeoutMs} ms an anonymous query may take and was stopped: ask for less (fewer conditions, a smaller limit) or try again later.`

/**
 * A statement stopped by the statement timeout is answered 503 with a message saying so, instead
 * of Payload's 500 "Something went wrong." Payload has already logged it with its query.
 */
export const getStatementTimeoutAfterErrorHook =
  ({ statementTimeoutMs }: { statementTimeoutMs: number }): AfterErrorHook =>
  ({ error, graphqlResult }) => {
    if (!isStatementTimeoutError(error)) return
    const message = statementTimeoutMessage(statementTimeoutMs)
    if (graphqlResult) {
      return {
        graphqlResult: {
          ...graphqlResult,
          message,
          extensions: { ...graphqlResult.extensions, name: 'StatementTimeout', statusCode: 503 },
        },
      }
    }
    return { status: 503, response: { errors: [{ message }] } }
  }
