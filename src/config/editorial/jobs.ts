import {
  docAccessOperation,
  Forbidden,
  type CollectionBeforeChangeHook,
  type CollectionConfig,
  type CollectionSlug,
  type Config,
} from 'payload'

import { collectionSlugs } from '../../../collections/slugs'
import { startJobRunner } from '../../jobs/runner/startJobRunner'
import { canQueueScheduledPublish, hasAdminRole, isAdmin } from '../access'
import { publicApiError } from '../errors/publicApiError'
import { readScheduledPublishRequest, schedulePublishTaskSlug } from './scheduledPublishRequest'

type JobsConfig = NonNullable<Config['jobs']>

/**
 * The queue of scheduled publishes (the admin queues them there) and of the import/export
 * plugin's jobs: Payload's default queue.
 */
export const editorialJobsQueue = 'default'
/** Collections with `versions.drafts.schedulePublish`. */
export const scheduledPublishCollections = [collectionSlugs.items, collectionSlugs.categories]
/** A due job starts within this long plus one claim (the issue asks for 10 s). */
export const jobRunnerIntervalMs = 2_000
/** Jobs one replica runs at once; a long import leaves room for scheduled publishes. */
export const jobRunnerConcurrency = 4

type JobsOptions = {
  /** This replica runs jobs (`JOBS_AUTORUN`); queueing works either way. */
  isRunnerEnabled: boolean
}

/** Payload's own endpoints `/run` and `/handle-schedules` would claim jobs without our lock. */
const nobody = () => false
const adminOnly = ({ req }: { req: { user?: unknown } }) =>
  hasAdminRole(req.user as { role?: string } | null)

const badRequest = (message: string) =>
  publicApiError({ name: 'ScheduledPublishRequestError', message, status: 400 })

/**
 * A job created over REST or GraphQL (access allows editors and admins, schedulePublish only):
 * the input checked, the document's existence and the requester's right to publish it checked,
 * and the job rebuilt from what was asked, so a client can neither set the runner's own fields
 * (processing, log, queue…) nor name another user to publish as. Local API calls (the admin's
 * schedule drawer, the import/export plugin) are left alone: they go past access anyway.
 */
const prepareApiScheduledPublish: CollectionBeforeChangeHook = async ({ data, operation, req }) => {
  if (operation !== 'create' || req.payloadAPI === 'local') return data
  const { user } = req
  if (!user) throw new Forbidden(req.t)
  const { request, problems } = readScheduledPublishRequest({
    data,
    collections: scheduledPublishCollections,
    now: new Date(),
  })
  if (!request) throw badRequest(problems.join(' '))

  const collection = req.payload.collections[request.collection as CollectionSlug]
  const idType = collection?.customIDType ?? req.payload.db.defaultIDType
  const id = idType === 'number' ? Number(request.id) : request.id
  if (idType === 'number' && !Number.isSafeInteger(id))
    throw badRequest(`input.doc.value must be a numeric id for ${request.collection}.`)
  const existing = await req.payload.findByID({
    collection: request.collection as 'items',
    id,
    depth: 0,
    draft: true,
    disableErrors: true,
    overrideAccess: true,
    req,
  })
  if (!existing) throw badRequest(`${request.collection} #${request.id} does not exist.`)
  const permissions = await docAccessOperation({
    collection,
    id,
    data: { _status: request.type === 'publish' ? 'published' : 'draft' },
    req,
  })
  if (!permissions.update)
    throw publicApiError({
      name: 'ScheduledPublishForbiddenError',
      message: `You may not ${request.type} ${request.collection} #${request.id}, so you may not schedule it.`,
      status: 403,
    })

  return {
    taskSlug: schedulePublishTaskSlug,
    queue: editorialJobsQueue,
    waitUntil: request.waitUntil.toISOString(),
    input: {
      type: request.type,
      doc: { relationTo: request.collection, value: request.id },
      // The task publishes as this user, with their access; the audit log names them.
      user: { relationTo: user.collection, value: user.id },
    },
    processing: false,
    hasError: false,
    totalTried: 0,
  }
}

/**
 * `payload-jobs` open to what the API needs: editors and admins create scheduled publishes,
 * admins read and delete (cancel) jobs. Our hook runs inside Payload's own `beforeChange` hook
 * rather than beside it: Payload warns at every start about extra jobs hooks, which its runner
 * skips — harmless here, since only API creates need ours.
 */
const openJobsCollectionToEditors = ({
  defaultJobsCollection,
}: {
  defaultJobsCollection: CollectionConfig
}): CollectionConfig => {
  const payloadBeforeChange = defaultJobsCollection.hooks?.beforeChange ?? []
  const beforeChange: CollectionBeforeChangeHook = async (args) => {
    let data = args.data
    for (const hook of payloadBeforeChange) data = (await hook({ ...args, data })) ?? data
    return prepareApiScheduledPublish({ ...args, data })
  }
  return {
    ...defaultJobsCollection,
    access: {
      ...defaultJobsCollection.access,
      create: canQueueScheduledPublish,
      read: isAdmin,
      delete: isAdmin,
    },
    hooks: { ...defaultJobsCollection.hooks, beforeChange: [beforeChange] },
  }
}

/**
 * The app's jobs config: who may queue, run and cancel jobs, and this replica's runner. The
 * runner starts where Payload starts its autoRun crons (an instance got with `cron: true`: the
 * server, see startPayloadAtBoot.ts; never scripts or tests that do not ask), and stops when the
 * instance is destroyed. Plugins add their tasks and crons to this config after it.
 */
export const getEditorialJobsConfig = ({ isRunnerEnabled }: JobsOptions): JobsConfig => ({
  access: { queue: adminOnly, run: nobody, cancel: adminOnly },
  jobsCollectionOverrides: openJobsCollectionToEditors,
  // Other queues' crons (the audit log's retention) run here only where the runner does.
  shouldAutoRun: () => isRunnerEnabled,
  autoRun: async (payload) => {
    if (isRunnerEnabled)
      startJobRunner({
        payload,
        queue: editorialJobsQueue,
        intervalMs: jobRunnerIntervalMs,
        concurrency: jobRunnerConcurrency,
      })
    // The default queue is ours alone: Payload's cron for it would claim jobs twice.
    return []
  },
})
