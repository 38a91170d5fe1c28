import { validations, type GlobalConfig, type TextFieldSingleValidation } from 'payload'

import { anyone, isCatalogEditor } from '../src/config/access'
import { withPayloadValidation } from './fields/validation'
import { collectionSlugs, globalSlugs } from './slugs'

const isoCurrencyCodes = new Set(Intl.supportedValuesOf('currency'))

/** Site-wide settings: a global, kept beside the collections because it shares their helpers. */
export const SiteSettings: GlobalConfig = {
  slug: globalSlugs.siteSettings,
  access: {
    read: anyone,
    update: isCatalogEditor,
  },
  fields: [
    {
      name: 'siteName',
      type: 'text',
      defaultValue: 'Catalog',
      maxLength: 120,
    },
    {
      name: 'logo',
      type: 'upload',
      relationTo: collectionSlugs.media,
    },
    {
      name: 'banner',
      type: 'upload',
      relationTo: collectionSlugs.media,
    },
    {
      name: 'currency',
      type: 'text',
      required: true,
      defaultValue: 'USD',
      minLength: 3,
      maxLength: 3,
      admin: {
        description: 'ISO 4217 code of the currency item prices are in, e.g. USD, EUR, GBP.',
      },
      validate: withPayloadValidation(
        validations.text as TextFieldSingleValidation,
        (value: null | string | undefined) =>
          (typeof value === 'string' && isoCurrencyCodes.has(value)) ||
          'Use a three-letter ISO 4217 currency code in capitals, such as USD or EUR.',
      ),
    },
  ],
}
