import type { CollectionConfig } from 'payload'

import { isCatalogEditor, publishedOrAuthenticated } from '../../src/config/access'
import { slugField } from '../fields/slug'
import { sortOrderField } from '../fields/sortOrder'
import { collectionSlugs } from '../slugs'
import { preventDeletingCategoryWithItems } from './hooks/preventDeletingCategoryWithItems'

export const Categories: CollectionConfig = {
  slug: collectionSlugs.categories,
  admin: {
    useAsTitle: 'name',
    defaultColumns: ['name', 'slug', 'sortOrder', '_status', 'updatedAt'],
  },
  defaultSort: 'sortOrder',
  hooks: {
    beforeDelete: [preventDeletingCategoryWithItems],
  },
  access: {
    read: publishedOrAuthenticated,
    // Version history holds every earlier draft; Payload's default would be any signed-in user.
    readVersions: isCatalogEditor,
    create: isCatalogEditor,
    update: isCatalogEditor,
    delete: isCatalogEditor,
  },
  versions: {
    // `schedulePublish`: editors pick a time to publish or unpublish; the jobs runner does it.
    drafts: { schedulePublish: true },
    maxPerDoc: 50,
  },
  fields: [
    {
      name: 'name',
      type: 'text',
      required: true,
      maxLength: 200,
    },
    slugField(),
    {
      name: 'description',
      type: 'textarea',
      maxLength: 2000,
    },
    {
      name: 'image',
      type: 'upload',
      relationTo: collectionSlugs.media,
    },
    sortOrderField(),
    {
      // Virtual: the items whose `category` points here. Costs nothing to store.
      name: 'items',
      type: 'join',
      collection: collectionSlugs.items,
      on: 'category',
      defaultSort: 'sortOrder',
      defaultLimit: 100,
      admin: {
        defaultColumns: ['name', 'price', 'isAvailable', '_status'],
      },
    },
  ],
}
