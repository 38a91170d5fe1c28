/**
 * Every reach into Payload's or Drizzle's internals that this repository makes lives in this one
 * package, so an upgrade that moves one of them breaks here, in `tests/plugins/payloadInternals`,
 * and nowhere else. Each export names the internal it depends on.
 */

export { getPostgresAdapter } from './adapter'
export { readHasManyTexts } from './hasManyTexts'
export { getCachedPayloadInstance, getCachedPayloadInstances } from './instances'
export { stopOnDestroy } from './crons'
export { applyMigrations, getCollectionTableName } from './schema'
export type { PostgresMigration } from './schema'
export { endPool, getPayloadPools, toPoolClientOption } from './pools'
export type { PostgresPool } from './pools'
export { getRequestExecutor, getTransactionExecutor } from './transactions'
export type { SqlExecutor } from './transactions'
export { wrapAfterChangeHooksAddedByPlugin } from './pluginAddedHooks'
export { beginReadTransaction } from './readTransaction'
export { getExecutorOutsideTransaction } from './outsideTransaction'
export { getAuthenticatedSessionId } from './sessionId'
export {
  isPayloadPasswordMatching,
  payloadHashParameters,
  payloadHashPrefix,
  payloadHashVersion,
} from './passwordHash'
