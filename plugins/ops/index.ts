import type { CollectionConfig, Config, GlobalConfig, Payload, PayloadRequest } from 'payload'

import { getAuditLogsCollection } from './collections/auditLogs'
import {
  alwaysRedactedFields,
  defaultAuditSlug,
  defaultCacheControl,
  defaultChannel,
  defaultRetentionDays,
  defaultStaleGraceSeconds,
  defaultTtlSeconds,
  retentionIntervalMs,
} from './defaults'
import { getCachedEndpoint, getEndpointBuild } from './endpoints/cachedEndpoint'
import {
  getAuditAfterChangeHook,
  getAuditAfterDeleteHook,
  getAuditAfterLoginHook,
  getAuditAfterLogoutHook,
  getAuditBeforeChangeHook,
  getAuditGlobalAfterChangeHook,
  getAuditLoginAttemptHook,
  getAuditLoginFailedHook,
  getAuditReadHook,
  getAuditUnlockHook,
  type AuditContext,
} from './hooks/audit'
import {
  getInvalidateAfterChangeHook,
  getInvalidateAfterDeleteHook,
  getInvalidateGlobalAfterChangeHook,
  type InvalidationContext,
} from './hooks/invalidate'
import type { CacheChange, OpsPluginOptions } from './types'
import { getCacheRegistry } from './utilities/cacheRegistry'
import { changedSlug, parseChangeMessage } from './utilities/changes'
import { getConnectionString, startListener } from './utilities/invalidation'
import { createResponseCache } from './utilities/responseCache'
import { pruneAuditLogs } from './utilities/retention'

export type { CacheChange, IncrementalBuild, OpsPluginOptions } from './types'
export { getCachedDocument, serveCachedEndpoint } from './fastPath'
export { pruneAuditLogs } from './utilities/retention'

const defaultClientIp = (req: PayloadRequest) =>
  req.headers?.get('x-real-ip') ??
  req.headers?.get('x-forwarded-for')?.split(',')[0]?.trim() ??
  undefined

type Hooks = NonNullable<CollectionConfig['hooks']>

const appendHooks = <T extends { hooks?: Hooks | GlobalConfig['hooks'] }>(
  entity: T,
  additions: Record<string, unknown[]>,
): T => {
  const hooks: Record<string, unknown[]> = {
    ...(entity.hooks as Record<string, unknown[]> | undefined),
  }
  for (const [name, added] of Object.entries(additions)) {
    if (added.length > 0) hooks[name] = [...(hooks[name] ?? []), ...added]
  }
  return { ...entity, hooks }
}

/**
 * Audit log and cached, cross-replica-invalidated JSON endpoints for a Payload app on PostgreSQL.
 * A factory `(options) => (config) => config` that returns a new config and never mutates its input.
 */
export const opsPlugin =
  (options: OpsPluginOptions = {}) =>
  (incoming: Config): Config => {
    const auditSlug = options.audit?.slug ?? defaultAuditSlug
    const auditCollection = getAuditLogsCollection({
      slug: auditSlug,
      readAccess: options.audit?.readAccess,
      personalDataAccess: options.audit?.personalDataAccess,
    })
    // The collection stays when the plugin or the audit is disabled, so migrations do not drift.
    const withCollection: Config = {
      ...incoming,
      collections: [...(incoming.collections ?? []), auditCollection],
    }
    if (options.disabled) return withCollection

    const isAuditOn = !options.audit?.disabled
    const cacheOptions = options.cache && !options.cache.disabled ? options.cache : undefined
    const channel = cacheOptions?.channel ?? defaultChannel
    const userCollections = (incoming.collections ?? []).map((collection) => collection.slug)
    const auditedCollections = new Set(options.audit?.collections ?? userCollections)
    const auditedGlobals = new Set(
      options.audit?.globals ?? (incoming.globals ?? []).map((global) => global.slug),
    )
    const auditedReads = new Set<string>(options.audit?.recordReadsOf ?? [])
    const watchedCollections = new Set(cacheOptions?.collections ?? userCollections)
    const watchedGlobals = new Set(
      cacheOptions?.globals ?? (incoming.globals ?? []).map((global) => global.slug),
    )
    const cacheControlFor = (path: string) =>
      cacheOptions?.endpoints.find((endpoint) => endpoint.path === path)?.cacheControl ??
      defaultCacheControl

    const auditContext: AuditContext = {
      auditSlug,
      redactedFields: new Set([...alwaysRedactedFields, ...(options.audit?.redactFields ?? [])]),
      getClientIp: options.audit?.getClientIp ?? defaultClientIp,
      onWrite: options.audit?.onWrite,
    }
    const registry = getCacheRegistry()
    /** Without a change (or with one nobody could attribute) every cache rebuilds fully. */
    const invalidateAll = (
      origin: 'notification' | 'reconnect' | 'local',
      change: CacheChange | undefined,
    ) => {
      for (const endpoint of cacheOptions?.endpoints ?? [])
        registry.get(endpoint.path)?.cache.invalidate(origin, change)
      // No tag for a change nobody could attribute: anything may have changed.
      const tags = change ? [changedSlug(change)] : []
      void Promise.resolve(cacheOptions?.revalidate?.({ tags })).catch(() => undefined)
    }
    // Set once the LISTEN connection is up. Without it no NOTIFY follows the commit to discard a
    // rebuild that read the data before it, so local invalidations then rebuild fully.
    let hasListener = false
    const invalidationContext: InvalidationContext = {
      channel,
      invalidateLocally: (change) => invalidateAll('local', hasListener ? change : undefined),
    }

    const collections = (withCollection.collections ?? []).map((collection) => {
      if (collection.slug === auditSlug) return collection
      const isAudited = isAuditOn && auditedCollections.has(collection.slug)
      const isWatched = Boolean(cacheOptions) && watchedCollections.has(collection.slug)
      return appendHooks(collection, {
        beforeChange: isAudited ? [getAuditBeforeChangeHook()] : [],
        afterChange: [
          ...(isAudited ? [getAuditAfterChangeHook(auditContext)] : []),
          ...(isWatched ? [getInvalidateAfterChangeHook(invalidationContext)] : []),
        ],
        afterDelete: [
          ...(isAudited ? [getAuditAfterDeleteHook(auditContext)] : []),
          ...(isWatched ? [getInvalidateAfterDeleteHook(invalidationContext)] : []),
        ],
        beforeOperation: isAudited && collection.auth ? [getAuditLoginAttemptHook()] : [],
        afterLogin: isAudited && collection.auth ? [getAuditAfterLoginHook(auditContext)] : [],
        afterLogout: isAudited && collection.auth ? [getAuditAfterLogoutHook(auditContext)] : [],
        afterOperation: [
          ...(isAuditOn && auditedReads.has(collection.slug)
            ? [getAuditReadHook(auditContext)]
            : []),
          ...(isAudited && collection.auth ? [getAuditUnlockHook(auditContext)] : []),
        ],
      })
    })
    const globals = (withCollection.globals ?? []).map((global) =>
      appendHooks(global, {
        afterChange: [
          ...(isAuditOn && auditedGlobals.has(global.slug)
            ? [getAuditGlobalAfterChangeHook(auditContext)]
            : []),
          ...(cacheOptions && watchedGlobals.has(global.slug)
            ? [getInvalidateGlobalAfterChangeHook(invalidationContext)]
            : []),
        ],
      }),
    )
    const endpoints = (options.cache?.endpoints ?? []).map((endpoint) =>
      getCachedEndpoint({
        endpoint,
        getCache: () => registry.get(endpoint.path),
        cacheControl: cacheControlFor(endpoint.path),
      }),
    )

    return {
      ...withCollection,
      collections,
      globals,
      endpoints: [...(withCollection.endpoints ?? []), ...endpoints],
      hooks: {
        ...withCollection.hooks,
        // Failed logins: REST and GraphQL both hand their errors to the config's error hooks only.
        afterError: [
          ...(withCollection.hooks?.afterError ?? []),
          ...(isAuditOn ? [getAuditLoginFailedHook(auditContext)] : []),
        ],
      },
      onInit: async (payload: Payload) => {
        await incoming.onInit?.(payload)
        const stops: (() => Promise<void> | void)[] = []

        if (cacheOptions) {
          const ttlMs = (cacheOptions.ttlSeconds ?? defaultTtlSeconds) * 1000
          const graceMs = (cacheOptions.staleGraceSeconds ?? defaultStaleGraceSeconds) * 1000
          for (const endpoint of cacheOptions.endpoints) {
            registry.set(endpoint.path, {
              cacheControl: cacheControlFor(endpoint.path),
              cache: createResponseCache({
                ttlMs,
                graceMs,
                onEvent: cacheOptions.onEvent,
                build: getEndpointBuild(endpoint, payload),
              }),
            })
          }
          const connectionString = getConnectionString(payload)
          if (connectionString) {
            const listener = startListener({
              connectionString,
              channel,
              onMessage: (message) => invalidateAll('notification', parseChangeMessage(message)),
              // Notifications may have been missed while disconnected: everything is stale.
              onReconnect: () => invalidateAll('reconnect', undefined),
              onError: (error) =>
                payload.logger.warn({
                  err: error,
                  msg: 'Cache invalidation listener lost its connection; reconnecting',
                }),
            })
            await listener.ready
            hasListener = true
            stops.push(listener.stop)
          } else {
            payload.logger.warn({
              msg: 'No PostgreSQL connection string: cache invalidation stays within this replica',
            })
          }
        }

        if (isAuditOn) {
          const retentionDays = options.audit?.retentionDays ?? defaultRetentionDays
          const prune = () =>
            pruneAuditLogs({ payload, auditSlug, retentionDays }).catch((error: unknown) =>
              payload.logger.error({ err: error, msg: 'Audit log retention failed' }),
            )
          const timer = setInterval(prune, retentionIntervalMs)
          timer.unref()
          stops.push(() => clearInterval(timer))
        }

        // Background work ends with the instance, so scripts and tests exit cleanly.
        const destroy = payload.destroy.bind(payload)
        payload.destroy = async () => {
          await Promise.all(stops.map((stop) => stop()))
          await destroy()
        }
      },
    }
  }
