import type { FlattenedField, SanitizedConfig } from 'payload'

/**
 * Small checks of client-sent values, shared by this plugin (request bodies) and the request
 * validation in front of the API (query strings).
 */

/** PostgreSQL `integer` (int4), the type of every serial id column. */
export const maxInt4 = 2_147_483_647

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** A finite number, or text that is one (query strings and form fields carry numbers as text). */
export const isNumberLike = (value: unknown): boolean =>
  (typeof value === 'number' && Number.isFinite(value)) ||
  (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))

/**
 * A whole number an int4 column can hold, sent as a number or as its decimal digits with an
 * optional minus sign (leading zeros allowed, as a JSON or query value may carry them).
 */
export const toInt4 = (value: unknown): number | undefined => {
  const number = typeof value === 'string' && /^-?\d{1,10}$/.test(value) ? Number(value) : value
  return typeof number === 'number' && Number.isInteger(number) && Math.abs(number) <= maxInt4
    ? number
    : undefined
}

/** The values a select or radio field accepts; none for any other field. */
export const optionValues = (field: FlattenedField): string[] =>
  field.type === 'select' || field.type === 'radio'
    ? field.options.map((option) => (typeof option === 'string' ? option : option.value))
    : []

const numericIdChecks = new WeakMap<SanitizedConfig, (collectionSlug: string) => boolean>()

/**
 * Whether a collection's ids are serial integers: the database's default id type unless the
 * collection declares its own `id` field (as Payload works out its `customIDType`). Worked out
 * once per collection of a config.
 */
export const getNumericIdCheck = (
  config: SanitizedConfig,
): ((collectionSlug: string) => boolean) => {
  let check = numericIdChecks.get(config)
  if (!check) {
    const isNumericByDefault = config.db.defaultIDType === 'number'
    const isNumeric = new Map<string, boolean>(
      config.collections.map((collection) => {
        const customId = collection.flattenedFields.find((field) => field.name === 'id')
        return [collection.slug, customId ? customId.type === 'number' : isNumericByDefault]
      }),
    )
    check = (collectionSlug) => isNumeric.get(collectionSlug) ?? isNumericByDefault
    numericIdChecks.set(config, check)
  }
  return check
}
