import fs from 'node:fs/promises'
import path from 'node:path'

import type { ImportAfterHook, ImportBeforeHook } from '@payloadcms/plugin-import-export/types'
import {
  createLocalReq,
  initTransaction,
  killTransaction,
  type CollectionAfterChangeHook,
  type CollectionSlug,
  type Payload,
  type PayloadRequest,
  type SanitizedCollectionConfig,
  type TaskConfig,
  type TypedUser,
} from 'payload'

import { publicApiError } from '../../errors/publicApiError'
import { restoreFormulaValues } from './csvFormulas'
import { checkImportFile } from './importFile'
import { fieldFaultsOf, toImportIssue, type ImportIssue } from './importIssues'
import {
  importExportQueue,
  importExportSlugs,
  importExportTaskSlugs,
  isTarget,
  type ImportDoc,
  type Settings,
} from './settings'

/** Progress of the import this request runs, kept on its context for the per-batch hook. */
type ImportProgress = {
  importId: number | string
  imported: number
  updated: number
  issues: number
  total: number
}
const importProgressKey = 'catalogImportProgress'
/** Payload's audit hooks skip the per-batch progress writes: the import's creation is audited. */
const quietContext = { disableAudit: true }

/** An exported CSV imported back stores the texts as they were before the export quoted them. */
export const restoreCsvFormulas: ImportBeforeHook = ({ data, format }) =>
  format === 'csv' ? (data.map(restoreFormulaValues) as typeof data) : data

/**
 * The stored bytes of an import, read in this process: from the bucket through the storage
 * adapter's own handler, or from disk. The plugin's job fetches the file over HTTP from the
 * document's URL instead, which needs the public server to answer it, and signed in: a job has
 * no session, and these files are private.
 */
const readStoredFile = async ({
  collection,
  doc,
  req,
}: {
  collection: SanitizedCollectionConfig
  doc: ImportDoc
  req: PayloadRequest
}): Promise<Buffer> => {
  const upload = collection.upload
  const filename = doc.filename
  if (!filename)
    throw publicApiError({
      name: 'ImportFileError',
      message: 'The import has no file.',
      status: 400,
    })
  for (const handler of upload.handlers ?? []) {
    const response = await handler(req, {
      doc: doc as never,
      params: { collection: collection.slug, filename },
    })
    if (response instanceof Response) {
      if (!response.ok) {
        throw publicApiError({
          name: 'ImportFileUnreadableError',
          message: `Reading the import file answered ${response.status}.`,
          status: 500,
        })
      }
      return Buffer.from(await response.arrayBuffer())
    }
  }
  return fs.readFile(path.join(upload.staticDir ?? collection.slug, path.basename(filename)))
}

type ProbeArgs = {
  payload: Payload
  user: TypedUser
  collection: CollectionSlug
  importMode: NonNullable<ImportDoc['importMode']>
  matchField: string
  document: Record<string, unknown>
}

/**
 * Writes a refused row again, as the plugin wrote it, in a transaction that is always rolled
 * back, and returns what it threw: a ValidationError carries each field and its reason, which the
 * plugin's one-line message leaves out. Audit and cache hooks are told to stand aside.
 */
const probeRefusedRow = async ({
  payload,
  user,
  collection,
  importMode,
  matchField,
  document,
}: ProbeArgs): Promise<unknown> => {
  const req = await createLocalReq(
    { user, context: { disableAudit: true, disableRevalidate: true } },
    payload,
  )
  await initTransaction(req)
  try {
    const { id: _id, createdAt: _createdAt, updatedAt: _updatedAt, ...fields } = document
    const asEditor = { overrideAccess: false, user, req, depth: 0 } as const
    const matchValue = document[matchField]
    const existing =
      importMode === 'create' || matchValue === undefined || matchValue === null
        ? undefined
        : (
            await payload.find({
              collection,
              where: { [matchField]: { equals: matchValue } },
              limit: 1,
              ...asEditor,
            })
          ).docs[0]
    if (existing) {
      await payload.update({ collection, id: existing.id, data: fields as never, ...asEditor })
    } else {
      const status = fields._status === 'draft' ? 'draft' : 'published'
      await payload.create({
        collection,
        data: { ...fields, _status: status } as never,
        draft: status === 'draft',
        ...asEditor,
      })
    }
    return undefined
  } catch (error) {
    return error
  } finally {
    await killTransaction(req)
  }
}

type PluginIssue = { row?: number; error?: string; data?: Record<string, unknown> }

/** Rewrites the summary's refused rows as row, column and reason. */
const describeIssues = async ({
  payload,
  user,
  importDoc,
  settings,
}: {
  payload: Payload
  user: TypedUser | undefined
  importDoc: ImportDoc
  settings: Settings
}) => {
  const issues = importDoc.summary?.issueDetails
  if (!Array.isArray(issues) || issues.length === 0) return
  const importMode = importDoc.importMode ?? 'create'
  const matchField = importDoc.matchField ?? 'id'
  const described: ImportIssue[] = []
  for (const [index, issue] of (issues as PluginIssue[]).entries()) {
    const data = issue.data ?? {}
    const message = issue.error ?? 'refused'
    const isUnmatched = /not found/.test(message)
    const probed =
      user &&
      isTarget(importDoc.collectionSlug) &&
      index < settings.maxDescribedIssues &&
      !isUnmatched
        ? await probeRefusedRow({
            payload,
            user,
            collection: importDoc.collectionSlug as CollectionSlug,
            importMode,
            matchField,
            document: data,
          })
        : undefined
    described.push(
      toImportIssue({ row: issue.row ?? 0, data, message, faults: fieldFaultsOf(probed) }),
    )
  }
  await payload.update({
    collection: importExportSlugs.imports,
    id: importDoc.id,
    data: { summary: { ...importDoc.summary, issueDetails: described } } as never,
    overrideAccess: true,
    context: quietContext,
  })
}

/** Per batch: the running counts go to the import's summary while it is still pending. */
export const reportImportProgress: ImportAfterHook = async ({
  req,
  result,
  batchNumber,
  totalBatches,
}) => {
  const progress = req.context?.[importProgressKey] as ImportProgress | undefined
  if (!progress) return
  progress.imported += result.imported
  progress.updated += result.updated
  progress.issues += result.errors.length
  // The plugin writes the final summary itself right after the last batch.
  if (batchNumber >= totalBatches) return
  const { imported, updated, issues, total } = progress
  await req.payload.update({
    collection: importExportSlugs.imports,
    id: progress.importId,
    data: { summary: { imported, updated, issues, total } } as never,
    overrideAccess: true,
    context: quietContext,
  })
}

type QueuedImportInput = {
  importId: string
  importCollection: string
  userID?: string | null
  userCollection?: string | null
}

/**
 * The job of a queued import: reads the file (see readStoredFile), then hands it to the plugin's
 * own import, the code its synchronous mode runs, with the importing editor as the user. Their
 * access applies to every row (`overrideAccess: false`), and every write goes through the target
 * collection's hooks (audit, caches, CDN) as any API write does.
 */
export const getRunQueuedImport =
  ({
    runImport,
    settings,
  }: {
    runImport: CollectionAfterChangeHook
    settings: Settings
  }): TaskConfig<'createCollectionImport'>['handler'] =>
  async ({ input, req: jobReq }) => {
    const { importId, importCollection, userID, userCollection } = input as QueuedImportInput
    const { payload } = jobReq
    const importDoc = (await payload.findByID({
      collection: importCollection as CollectionSlug,
      id: importId,
      depth: 0,
      overrideAccess: true,
    })) as unknown as ImportDoc
    // Never twice: rows written by a first run would be written again.
    if (importDoc.status !== 'pending') return { output: {} }
    const user =
      userID && userCollection
        ? ((await payload.findByID({
            collection: userCollection as CollectionSlug,
            id: userID,
            depth: 0,
            overrideAccess: true,
          })) as unknown as TypedUser)
        : undefined
    const collection = payload.collections[importCollection as CollectionSlug].config
    const req = await createLocalReq(
      { user: user ? ({ ...user, collection: userCollection } as never) : undefined },
      payload,
    )
    const data = await readStoredFile({ collection, doc: importDoc, req })
    const checked = checkImportFile(
      { data, mimeType: importDoc.mimeType ?? undefined },
      { maxBytes: Number.POSITIVE_INFINITY, maxRows: Number.POSITIVE_INFINITY },
    )
    const progress: ImportProgress = {
      importId: importDoc.id,
      imported: 0,
      updated: 0,
      issues: 0,
      total: checked.isAcceptable ? checked.rowCount : 0,
    }
    req.context = { ...req.context, [importProgressKey]: progress }
    req.file = {
      data,
      mimetype: importDoc.mimeType ?? 'text/csv',
      name: importDoc.filename ?? 'import',
      size: data.length,
    }
    await runImport({
      collection,
      context: req.context,
      data: importDoc as never,
      doc: importDoc as never,
      operation: 'create',
      previousDoc: {} as never,
      req,
    })
    const finished = (await payload.findByID({
      collection: importCollection as CollectionSlug,
      id: importId,
      depth: 0,
      overrideAccess: true,
    })) as unknown as ImportDoc
    await describeIssues({ payload, user, importDoc: finished, settings })
    return { output: {} }
  }

/** Queues the job in the upload's transaction: no job for an upload that is rolled back. */
export const queueImport: CollectionAfterChangeHook = async ({
  collection,
  doc,
  operation,
  req,
}) => {
  if (operation !== 'create' || doc.status !== 'pending') return doc
  const input: QueuedImportInput = {
    importId: String(doc.id),
    importCollection: collection.slug,
    userID: req.user ? String(req.user.id) : undefined,
    userCollection: req.user?.collection,
  }
  await req.payload.jobs.queue({
    task: importExportTaskSlugs.import,
    input: input as never,
    queue: importExportQueue,
    req,
    overrideAccess: true,
  })
  return doc
}
