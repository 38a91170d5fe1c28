import path from 'node:path'

import { importExportPlugin } from '@payloadcms/plugin-import-export'
import type { ExportBeforeHook } from '@payloadcms/plugin-import-export/types'
import type { CollectionAfterChangeHook, CollectionConfig, Config, Field, Plugin } from 'payload'

import { isCatalogEditor } from '../../access'
import { getLocalDataDir } from '../../localDefaults'
import { neutraliseFormulaRow } from './csvFormulas'
import { getCheckImportFileHook, getCheckTargetHook, guardEndpoints } from './guards'
import {
  getRunQueuedImport,
  queueImport,
  reportImportProgress,
  restoreCsvFormulas,
} from './importJob'
import {
  defaults,
  importExportTargetSlugs,
  importExportTaskSlugs,
  type CatalogImportExportOptions,
  type ImportDoc,
  type Settings,
} from './settings'

export {
  importExportQueue,
  importExportSlugs,
  importExportTargetSlugs,
  importExportTaskSlugs,
  importMatchFields,
  type CatalogImportExportOptions,
} from './settings'

/** CSV cells a spreadsheet would run as formulas are neutralised; JSON is left as data. */
const neutraliseCsvBatch: ExportBeforeHook = ({ data, format }) =>
  format === 'csv' ? data.map(neutraliseFormulaRow) : data

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
            'catalogImportExportPlugin: the imports collection of @payloadcms/plugin-import-export changed shape; review src/config/editorial/importExport/index.ts against the new version.',
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
