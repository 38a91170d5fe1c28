import type { CollectionSlug } from 'payload'

import { collectionSlugs } from '../../../../collections/slugs'

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

export const defaults: Required<Omit<CatalogImportExportOptions, 'localDataDir'>> = {
  maxImportBytes: 5 * 1024 * 1024,
  maxImportRows: 20_000,
  batchSize: 100,
  maxDescribedIssues: 1000,
}

export type Settings = Required<CatalogImportExportOptions>

export type ImportDoc = {
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

/** One of the collections editors import into and export from. */
export const isTarget = (slug: unknown): boolean =>
  importExportTargetSlugs.some((target) => target === slug)
