import {
  validations,
  type FieldHook,
  type TextField,
  type TextFieldSingleValidation,
} from 'payload'

import { isValidSlug, maxSlugLength, slugify } from '../../src/lib/slugify'
import { withPayloadValidation } from './validation'

type SlugFieldArgs = {
  /** The sibling field the slug is generated from when left empty. */
  sourceField?: string
}

const getFormatSlugHook =
  (sourceField: string): FieldHook =>
  ({ value, siblingData, originalDoc }) => {
    if (typeof value === 'string' && value.trim() !== '') return slugify(value)
    const source = siblingData?.[sourceField] ?? originalDoc?.[sourceField]
    return typeof source === 'string' ? slugify(source) : value
  }

/**
 * A unique, URL-safe slug. Editors may type their own; whatever they type is normalised the same
 * way a generated slug is, so "My Item" is stored as "my-item".
 */
export const slugField = ({ sourceField = 'name' }: SlugFieldArgs = {}): TextField => ({
  name: 'slug',
  type: 'text',
  unique: true,
  index: true,
  maxLength: maxSlugLength,
  admin: {
    position: 'sidebar',
    description: `URL-safe identifier (a-z, 0-9, dashes). Generated from the ${sourceField} when left empty.`,
  },
  hooks: {
    beforeValidate: [getFormatSlugHook(sourceField)],
  },
  validate: withPayloadValidation(
    validations.text as TextFieldSingleValidation,
    (value: null | string | undefined) => {
      if (!value) {
        return `Enter a slug: the ${sourceField} has no letters or digits to generate one from.`
      }
      return isValidSlug(value) || 'Use lower-case letters, digits and single dashes only.'
    },
  ),
})
