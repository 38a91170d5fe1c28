import { AsyncLocalStorage } from 'node:async_hooks'

import pg from 'pg'

import { toPoolClientOption } from '../../plugins/payloadInternals'
import { getProcessSingleton } from '../lib/processSingleton'
import { isDatabaseUnavailableError } from './unavailable'

/** What one API request learnt about the database while it was served. */
export type DatabaseFailureScope = { failure?: unknown }

/**
 * Shared by the route handlers that open a scope and the database clients that write to it, which
 * may be loaded in different module graphs of the process.
 */
const getScopes = () =>
  getProcessSingleton(
    'catalog-cms.databaseFailureScopes',
    () => new AsyncLocalStorage<DatabaseFailureScope>(),
  )

/** Runs `work` with a scope of its own, in which the database failures it meets are kept. */
export const runInDatabaseFailureScope = <T>(scope: DatabaseFailureScope, work: () => T): T =>
  getScopes().run(scope, work)

const keepFailure = (scope: DatabaseFailureScope | undefined, error: unknown) => {
  if (scope && scope.failure === undefined && isDatabaseUnavailableError(error)) {
    scope.failure = error
  }
}

/** Notes, for the request being served (if any), that the database could not be reached. */
export const recordDatabaseFailure = (error: unknown): void =>
  keepFailure(getScopes().getStore(), error)

type ConnectCallback = (error: Error | null) => void

/**
 * The pool's client class (pg-pool's `Client` option). A failed connection is noted in the scope of
 * the request that asked for it, even when the caller swallows the error: Payload's JWT strategy
 * turns a failed user lookup into an anonymous request, which would then be refused (401, 403)
 * instead of answered 503.
 */
export class DatabaseFailureRecordingClient extends pg.Client {
  override connect(): Promise<pg.Client>
  override connect(callback: ConnectCallback): void
  override connect(callback?: ConnectCallback): Promise<pg.Client> | void {
    // Taken now: the socket's callbacks may run in another request's context.
    const scope = getScopes().getStore()
    if (!callback) {
      return super.connect().catch((error: unknown) => {
        keepFailure(scope, error)
        throw error
      })
    }
    super.connect((error: Error | null) => {
      if (error) keepFailure(scope, error)
      callback(error)
    })
  }
}

/** The class as the Postgres adapter's `pool.Client` option. */
export const databaseFailureRecordingClient = toPoolClientOption(DatabaseFailureRecordingClient)
