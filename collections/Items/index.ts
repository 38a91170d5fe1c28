import type { CollectionConfig } from 'payload'

import { isCatalogEditor, publishedOrAuthenticated } from '../../src/access'
import { slugField } from '../fields/slug'
import { sortOrderField } from '../fields/sortOrder'
import { collectionSlugs } from '../slugs'

export const Items: CollectionConfig = {
  slug: collectionSlugs.items,
  admin: {
    useAsTitle: 'name',
    defaultColumns: ['name', 'category', 'price', 'isAvailable', '_status', 'updatedAt'],
  },
  defaultSort: 'sortOrder',
  access: {
    read: publishedOrAuthenticated,
    // Version history holds every earlier draft; Payload's default would be any signed-in user.
    readVersions: isCatalogEditor,
    create: isCatalogEditor,
    update: isCatalogEditor,
    delete: isCatalogEditor,
  },
  versions: {
    drafts: true,
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
      type: 'richText',
    },
    {
      name: 'price',
      type: 'number',
      required: true,
      min: 0,
      max: 2_000_000_000,
      admin: {
        step: 1,
        description: 'In minor units of the site currency (cents for USD): 1999 means 19.99.',
      },
      validate: (value: null | number | undefined) => {
        if (value === null || value === undefined) return 'Enter a price in minor units.'
        if (!Number.isInteger(value)) return 'The price must be a whole number of minor units.'
        if (value < 0) return 'The price cannot be negative.'
        return true
      },
    },
    {
      name: 'category',
      type: 'relationship',
      relationTo: collectionSlugs.categories,
      required: true,
      index: true,
      admin: { position: 'sidebar' },
    },
    {
      name: 'images',
      type: 'upload',
      relationTo: collectionSlugs.media,
      hasMany: true,
      admin: { description: 'The first image is the main one; drag to reorder.' },
    },
    {
      name: 'isAvailable',
      type: 'checkbox',
      defaultValue: true,
      admin: { position: 'sidebar' },
    },
    {
      name: 'tags',
      type: 'text',
      hasMany: true,
      maxRows: 30,
    },
    sortOrderField(),
  ],
}
