import fs from 'node:fs/promises'
import path from 'node:path'

import { importExportPlugin } from '@payloadcms/plugin-import-export'
import type {
  ExportBeforeHook,
  ImportAfterHook,
  ImportBeforeHook,
} from '@payloadcms/plugin-import-export/types'
import {
  createLocalReq,
  Forbidden,
  initTransaction,
  killTransaction,
  UnauthorizedError,
  type CollectionAfterChangeHook,
  type CollectionBeforeOperationHook,
  type CollectionBeforeValidateHook,
  type CollectionConfig,
  type CollectionSlug,
  type Config,
  type Endpoint,
  type Field,
  type Payload,
  type PayloadHandler,
  type PayloadRequest,
  type Plugin,
  type SanitizedCollectionConfig,
  type TaskConfig,
  type TypedUser,
} from 'payload'

import { collectionSlugs } from '../../../collections/slugs'
import { hasCatalogEditingRole, isCatalogEditor } from '../access'
import { publicApiError, validationError } from '../errors/publicApiError'
import { getLocalDataDir } from '../localDefaults'
import { neutraliseFormulaRow, restoreFormulaValues } from './csvFormulas'
import { checkImportFile, toImportMimeType } from './importFile'
import { fieldFaultsOf, toImportIssue, type ImportIssue } from './importIssues'

/** The upload collections `@payloadcms/plugin-import-export` adds (its defaults). */
export const importExportSlugs = { exports: 'exports', imports: 'imports' } as const

/** The plugin's job tasks; both run on Payload's `default` queue (the plugin names none). */
export const importExportTaskSlugs = {
  export: 'createCollectionExport',
  import: 'createCollectionImport',
} as const

/** The queue the plugin's jobs go to: a job runner must cover it. */
export const importExportQueue = 'default'

/** The collections editors import into and export from. */
export const importExportTargetSlugs = [
  collectionSlugs.items,
  collectionSlugs.categories,
] as const satisfies CollectionSlug[]

/** Columns update and upsert may find documents by: both are unique. */
export const importMatchFields = ['id', 'slug'] as const

export type CatalogImportExportOptions = {
  /**
   * Where the files of imports and exports go when no bucket is configured (a folder per
   * collection under it); with R2 the storage plugin takes over.
   * @default the app's local data directory (LOCAL_DATA_DIR, `.data`)
   */
  localDataDir?: string
  /**
   * Largest import file, in bytes. The whole file is parsed in memory by the job.
   * @default 5 MiB (about 30,000 item rows)
   */
  maxImportBytes?: number
  /**
   * Most rows one import may have.
   * @default 20,000
   */
  maxImportRows?: number
  /**
   * Rows written (import) or read (export) per batch; progress is reported once per batch.
   * @default 100
   */
  batchSize?: number
  /**
   * Refused rows whose reasons are looked up by writing them again in a transaction that is
   * rolled back (the plugin keeps only a one-line message). Beyond this, the message is kept.
   * @default 1000
   */
  maxDescribedIssues?: number
}

const defaults: Required<Omit<CatalogImportExportOptions, 'localDataDir'>> = {
  maxImportBytes: 5 * 1024 * 1024,
  maxImportRows: 20_000,
  batchSize: 100,
  maxDescribedIssues: 1000,
}

type Settings = Required<CatalogImportExportOptions>

type ImportDoc = {
  id: number | string
  collectionSlug: string
  importMode?: 'create' | 'update' | 'upsert' | null
  matchField?: string | null
  status?: string | null
  filename?: string | null
  mimeType?: string | null
  summary?: {
    imported?: number | null
    updated?: number | null
    total?: number | null
    issues?: number | null
    issueDetails?: unknown
  } | null
}

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

const isTarget = (slug: unknown): boolean =>
  importExportTargetSlugs.some((target) => target === slug)

// --- access ---

/**
 * The plugin's endpoints (download, previews) are not collection operations, so the collection's
 * access rules do not reach them: each is wrapped to answer 401 without a user and 403 for a role
 * that may not edit the catalog.
 */
const requireCatalogEditor =
  (handler: PayloadHandler): PayloadHandler =>
  async (req) => {
    if (!req.user) throw new UnauthorizedError(req.t)
    if (!hasCatalogEditingRole(req.user)) throw new Forbidden(req.t)
    return handler(req)
  }

const refusal = (status: number, message: string) =>
  Response.json({ errors: [{ message }] }, { status })

/**
 * The download endpoint exports whatever collection it is told to; only the catalog's may be.
 * The body is read here and handed on, since a request's body can be read once.
 */
const checkedDownload =
  (handler: PayloadHandler): PayloadHandler =>
  async (req) => {
    let body: { data?: { collectionSlug?: unknown; format?: unknown; where?: unknown } } | undefined
    try {
      body = await req.json?.()
    } catch {
      return refusal(
        400,
        'Send a JSON body: {"data": {"collectionSlug": "items", "format": "csv"}}.',
      )
    }
    const data = body?.data
    if (!data || !isTarget(data.collectionSlug)) {
      return refusal(
        400,
        `data.collectionSlug must be one of: ${importExportTargetSlugs.join(', ')}.`,
      )
    }
    if (data.format !== undefined && data.format !== 'csv' && data.format !== 'json') {
      return refusal(400, 'data.format must be csv or json.')
    }
    if (data.where !== undefined && (typeof data.where !== 'object' || data.where === null)) {
      return refusal(400, 'data.where must be a query object, as in a REST `where`.')
    }
    req.json = () => Promise.resolve(body)
    return handler(req)
  }

const guardEndpoints = (endpoints: CollectionConfig['endpoints']): Endpoint[] | false =>
  endpoints === false
    ? false
    : (endpoints ?? []).map((endpoint) => ({
        ...endpoint,
        handler: requireCatalogEditor(
          endpoint.path === '/download' ? checkedDownload(endpoint.handler) : endpoint.handler,
        ),
      }))

// --- checks on create ---

const refuseField = (req: PayloadRequest, collection: string, path: string, message: string) =>
  validationError({ collection, errors: [{ path, message }], req })

/** Only the catalog's collections, and for imports only the unique columns to match on. */
const getCheckTargetHook =
  (slug: string): CollectionBeforeValidateHook =>
  ({ data, operation, req }) => {
    if (operation !== 'create') return data
    if (!isTarget(data?.collectionSlug)) {
      throw refuseField(
        req,
        slug,
        'collectionSlug',
        `Choose one of: ${importExportTargetSlugs.join(', ')}.`,
      )
    }
    const isMatching = data?.importMode === 'update' || data?.importMode === 'upsert'
    const matchField = data?.matchField ?? 'id'
    if (
      slug === importExportSlugs.imports &&
      isMatching &&
      !importMatchFields.includes(matchField)
    ) {
      throw refuseField(req, slug, 'matchField', `Match on ${importMatchFields.join(' or ')}.`)
    }
    return data
  }

/**
 * Refuses a file the job could not import (size, type, syntax, rows) while the editor is still
 * waiting, with a 4xx, before anything is stored or queued.
 */
const getCheckImportFileHook =
  (settings: Settings): CollectionBeforeOperationHook =>
  ({ args, operation, req }) => {
    if (operation !== 'create' || !req.file?.data) return args
    req.file.mimetype =
      toImportMimeType({ mimeType: req.file.mimetype, filename: req.file.name }) ??
      req.file.mimetype
    const checked = checkImportFile(
      { data: req.file.data, mimeType: req.file.mimetype },
      { maxBytes: settings.maxImportBytes, maxRows: settings.maxImportRows },
    )
    if (!checked.isAcceptable) {
      throw publicApiError({
        name: 'ImportFileError',
        message: checked.problem.message,
        status: checked.problem.status,
      })
    }
    return args
  }

// --- export ---

/** CSV cells a spreadsheet would run as formulas are neutralised; JSON is left as data. */
const neutraliseCsvBatch: ExportBeforeHook = ({ data, format }) =>
  format === 'csv' ? data.map(neutraliseFormulaRow) : data

// --- import: the job ---

/** An exported CSV imported back stores the texts as they were before the export quoted them. */
const restoreCsvFormulas: ImportBeforeHook = ({ data, format }) =>
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
const reportImportProgress: ImportAfterHook = async ({
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
const getRunQueuedImport =
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
const queueImport: CollectionAfterChangeHook = async ({ collection, doc, operation, req }) => {
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

/** The admin component of `summary.issueDetails` (see components/ImportIssuesField.tsx). */
const importIssuesFieldPath = '/src/config/editorial/components/ImportIssuesField#ImportIssuesField'

/**
 * The summary shows while an import runs too (the plugin's admin hides it until the end), and its
 * refused rows as a table instead of Payload's JSON editor.
 */
const withReadableSummary = (fields: Field[]): Field[] =>
  fields.map((field) =>
    'name' in field && field.name === 'summary' && field.type === 'group'
      ? ({
          ...field,
          admin: {
            ...field.admin,
            condition: (data: Partial<ImportDoc>) =>
              data?.status !== 'pending' || typeof data?.summary?.total === 'number',
          },
          fields: field.fields.map((summaryField) =>
            'name' in summaryField && summaryField.name === 'issueDetails'
              ? {
                  ...summaryField,
                  admin: {
                    ...summaryField.admin,
                    components: { Field: importIssuesFieldPath },
                  },
                }
              : summaryField,
          ),
        } as Field)
      : field,
  )

// --- the plugin ---

/** Editors' rules on both upload collections; updates stay the plugin's (nobody: jobs write). */
const withEditorialRules = (
  collection: CollectionConfig,
  settings: Settings,
): CollectionConfig => ({
  ...collection,
  access: {
    ...collection.access,
    read: isCatalogEditor,
    create: isCatalogEditor,
    delete: isCatalogEditor,
  },
  endpoints: guardEndpoints(collection.endpoints),
  hooks: {
    ...collection.hooks,
    beforeValidate: [
      ...(collection.hooks?.beforeValidate ?? []),
      getCheckTargetHook(collection.slug),
    ],
  },
  // Local disk when no bucket is configured: under the app's data directory, not the working one.
  upload: {
    ...(typeof collection.upload === 'object' ? collection.upload : {}),
    staticDir: path.join(settings.localDataDir, collection.slug),
  },
})

/**
 * CSV and JSON import and export of items and categories, from the admin's list views and over
 * REST, through Payload's official plugin, for editors and admins only.
 *
 * That plugin edits the config it is given in place (collections included); it gets copies here,
 * so the collection objects this app exports, and every other config built from them, stay as
 * they are.
 *
 * Imports run as jobs on the `default` queue, under the plugin's task slug, but with a handler of
 * ours (see getRunQueuedImport): the plugin's own job cannot read a private file from a bucket.
 * Its synchronous import (`disableJobsQueue`) is what that handler runs, so the hook that would
 * run it during the upload request is taken out of the collection's hooks.
 */
export const catalogImportExportPlugin =
  (options: CatalogImportExportOptions = {}): Plugin =>
  async (incoming: Config): Promise<Config> => {
    const settings: Settings = {
      ...defaults,
      localDataDir: getLocalDataDir(),
      ...options,
    }
    let runImport: CollectionAfterChangeHook | undefined
    const configured = await importExportPlugin({
      batchSize: settings.batchSize,
      importLimit: settings.maxImportRows,
      collections: importExportTargetSlugs.map((slug) => ({
        slug,
        export: { hooks: { before: neutraliseCsvBatch } },
        import: {
          disableJobsQueue: true,
          hooks: { before: restoreCsvFormulas, after: reportImportProgress },
        },
      })),
      overrideExportCollection: ({ collection }) => withEditorialRules(collection, settings),
      overrideImportCollection: ({ collection }) => {
        // The plugin's afterChange hooks: [run the import now, queue its job]. With the queue
        // disabled the second does nothing; the first is what our job runs.
        const [runNow, queueHook, ...others] = collection.hooks?.afterChange ?? []
        if (!runNow || !queueHook || others.length > 0) {
          throw new Error(
            'catalogImportExportPlugin: the imports collection of @payloadcms/plugin-import-export changed shape; review src/config/editorial/importExport.ts against the new version.',
          )
        }
        runImport = runNow
        const guarded = withEditorialRules(collection, settings)
        return {
          ...guarded,
          fields: withReadableSummary(guarded.fields),
          hooks: {
            ...guarded.hooks,
            beforeOperation: [
              ...(guarded.hooks?.beforeOperation ?? []),
              getCheckImportFileHook(settings),
            ],
            afterChange: [queueImport],
          },
        }
      },
    })({
      ...incoming,
      admin: { ...incoming.admin, components: { ...incoming.admin?.components } },
      jobs: { ...incoming.jobs, tasks: [...(incoming.jobs?.tasks ?? [])] },
      collections: incoming.collections?.map((collection) => ({
        ...collection,
        admin: { ...collection.admin, components: { ...collection.admin?.components } },
      })),
    })
    const importRunner = runImport
    if (!importRunner) throw new Error('catalogImportExportPlugin: no imports collection was made.')
    return {
      ...configured,
      jobs: {
        ...configured.jobs,
        tasks: (configured.jobs?.tasks ?? []).map((task) =>
          task.slug === importExportTaskSlugs.import
            ? {
                ...task,
                // A retry would write the rows a first attempt already wrote.
                retries: 0,
                handler: getRunQueuedImport({ runImport: importRunner, settings }),
              }
            : task,
        ),
      },
    }
  }
