import type { FlattenedField } from 'payload'

/** PostgreSQL `integer` (int4), the type of every serial id column. */
export const maxInt4 = 2_147_483_647

/** An object that is no array and not null: what JSON calls an object. */
export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * A finite number, or text that is one. Payload's own `isNumber` takes `Infinity` (what JSON.parse
 * makes of `1e400`) and `5abc` (parseFloat), which the database then refuses with a 500.
 */
export const isNumberLike = (value: unknown): boolean =>
  (typeof value === 'number' && Number.isFinite(value)) ||
  (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))

/**
 * A whole number an int4 column can hold, sent as a number or as its decimal digits with an
 * optional minus sign (leading zeros allowed, as a JSON value may carry them).
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
