import { validations, type CollectionConfig, type NumberFieldSingleValidation } from 'payload'

import { isCatalogEditor, publishedOrAuthenticated } from '../../src/config/access'
import { richTextHTML } from '../fields/richTextHTML'
import { slugField } from '../fields/slug'
import { sortOrderField } from '../fields/sortOrder'
import { withPayloadValidation } from '../fields/validation'
import { collectionSlugs } from '../slugs'

/** Whole minor units, not negative; `min`, `max` and `required` stay Payload's to check. */
const validatePrice: NumberFieldSingleValidation = (value) => {
  if (value === null || value === undefined) return 'Enter a price in minor units.'
  if (!Number.isInteger(value)) return 'The price must be a whole number of minor units.'
  if (value < 0) return 'The price cannot be negative.'
  return true
}

const descriptionHTML = richTextHTML({ richTextField: 'description' })

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
    // `schedulePublish`: editors pick a time to publish or unpublish; the jobs runner does it.
    drafts: { schedulePublish: true },
    maxPerDoc: 50,
  },
  hooks: {
    beforeOperation: [descriptionHTML.beforeOperation],
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
    descriptionHTML.field,
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
      validate: withPayloadValidation(
        validations.number as NumberFieldSingleValidation,
        validatePrice,
      ),
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
