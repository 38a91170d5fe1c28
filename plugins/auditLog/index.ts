import type { Config } from 'payload'

import { getAuditLogsCollection } from './collections/auditLogs'
import {
  alwaysRedactedFields,
  defaultAuditSlug,
  defaultRetentionDays,
  defaultRetentionSchedule,
} from './defaults'
import { getAuditLoginFailedHook } from './hooks/logins'
import { addRetentionJob } from './jobs/retentionTask'
import type { AuditContext, AuditLogPluginOptions } from './types'
import { withCollectionAuditHooks, withGlobalAuditHooks } from './utilities/auditHooks'

export type { AuditAction, AuditLogPluginOptions } from './types'
export { auditActions } from './defaults'
export { pruneAuditLogs } from './utilities/retention'

/** No proxy header is trusted unless the app says which: without `getClientIp`, no IP. */
const noClientIp = () => undefined

const slugsOf = (entities: { slug: string }[] | undefined) =>
  (entities ?? []).map((entity) => entity.slug)

/**
 * An append-only audit log of every change and sign-in, for a Payload app on PostgreSQL, pruned
 * by a scheduled Payload job. Returns a new config; never mutates its input.
 */
export const auditLogPlugin =
  (options: AuditLogPluginOptions = {}) =>
  (incoming: Config): Config => {
    const auditSlug = options.slug ?? defaultAuditSlug
    const isEnabled = !options.disabled
    // The collection and the retention task stay when disabled, so migrations do not drift.
    const jobs = addRetentionJob(incoming.jobs, {
      auditSlug,
      retentionDays: options.retentionDays ?? defaultRetentionDays,
      schedule: options.retentionSchedule ?? defaultRetentionSchedule,
      isEnabled,
      runsHere: options.runsRetentionHere ?? true,
    })
    const auditCollection = getAuditLogsCollection({
      slug: auditSlug,
      readAccess: options.readAccess,
      personalDataAccess: options.personalDataAccess,
    })
    if (!isEnabled)
      return { ...incoming, collections: [...(incoming.collections ?? []), auditCollection], jobs }

    const context: AuditContext = {
      auditSlug,
      redactedFields: new Set([...alwaysRedactedFields, ...(options.redactFields ?? [])]),
      getClientIp: options.getClientIp ?? noClientIp,
      onWrite: options.onWrite,
    }
    const auditedCollections = new Set(options.collections ?? slugsOf(incoming.collections))
    const auditedGlobals = new Set(options.globals ?? slugsOf(incoming.globals))
    const auditedReads = new Set<string>(options.recordReadsOf ?? [])
    const collections = (incoming.collections ?? []).map((collection) =>
      withCollectionAuditHooks({
        collection,
        context,
        isAudited: auditedCollections.has(collection.slug),
        isReadAudited: auditedReads.has(collection.slug),
      }),
    )
    const globals = (incoming.globals ?? []).map((global) =>
      auditedGlobals.has(global.slug) ? withGlobalAuditHooks(global, context) : global,
    )
    return {
      ...incoming,
      collections: [...collections, auditCollection],
      globals,
      jobs,
      hooks: {
        ...incoming.hooks,
        // Failed logins: REST and GraphQL both hand their errors to the config's error hooks only.
        afterError: [...(incoming.hooks?.afterError ?? []), getAuditLoginFailedHook(context)],
      },
    }
  }
