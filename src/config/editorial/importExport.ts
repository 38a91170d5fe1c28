import { importExportPlugin } from '@payloadcms/plugin-import-export'
import type { Plugin } from 'payload'

import { collectionSlugs } from '../../../collections/slugs'

/** The upload collections `@payloadcms/plugin-import-export` adds (its defaults). */
export const importExportSlugs = { exports: 'exports', imports: 'imports' } as const

/**
 * CSV and JSON import and export of items and categories, from the admin's list views and over
 * REST, through Payload's official plugin.
 *
 * That plugin edits the config it is given in place (collections included); it gets copies here,
 * so the collection objects this app exports, and every other config built from them, stay as
 * they are.
 */
export const catalogImportExportPlugin = (): Plugin => (incoming) =>
  importExportPlugin({
    collections: [{ slug: collectionSlugs.items }, { slug: collectionSlugs.categories }],
  })({
    ...incoming,
    admin: { ...incoming.admin, components: { ...incoming.admin?.components } },
    jobs: { ...incoming.jobs, tasks: [...(incoming.jobs?.tasks ?? [])] },
    collections: incoming.collections?.map((collection) => ({
      ...collection,
      admin: { ...collection.admin, components: { ...collection.admin?.components } },
    })),
  })
