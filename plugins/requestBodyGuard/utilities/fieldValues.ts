import type { FlattenedField } from 'payload'

import { isNumberLike, isPlainObject, optionValues, toInt4 } from '../../pluginKit'

export type FieldProblem = { path: string; message: string }

/** A relationship value to look up: which collection, which id, and where it was sent. */
export type RelationReference = { path: string; collection: string; id: number }

export type FieldValueCheck = {
  problems: FieldProblem[]
  references: RelationReference[]
  /** Top-level keys of hidden fields: never the client's to set, dropped rather than refused. */
  hiddenKeys: string[]
}

type CheckOptions = {
  /** Top-level keys that are no field but are accepted as text (`password` on auth collections). */
  extraTextKeys?: readonly string[]
  /** Refuse top-level keys that are no field of the collection or global. */
  rejectUnknownKeys: boolean
  /** Collections whose ids are serial integers: references to them are checked and looked up. */
  hasNumericIds: (collectionSlug: string) => boolean
}

/** A relationship value's id: the id itself or a populated document's, 1 and up. */
const toId = (value: unknown): number | undefined => {
  const id = toInt4(isPlainObject(value) ? value.id : value)
  return id !== undefined && id >= 1 ? id : undefined
}

type Context = CheckOptions & Omit<FieldValueCheck, 'hiddenKeys'>

/** Checks one value (one row of a hasMany field) against its field's type. */
const checkScalar = (field: FlattenedField, value: unknown, path: string, context: Context) => {
  const problem = (message: string) => context.problems.push({ path, message })
  switch (field.type) {
    case 'text':
    case 'textarea':
    case 'email':
    case 'code':
      if (typeof value !== 'string') problem('This field takes text.')
      return
    case 'number': {
      if (!isNumberLike(value)) return problem('This field takes a number.')
      const number = Number(value)
      // Checked here too: a custom `validate` replaces Payload's own min/max check.
      if (typeof field.min === 'number' && number < field.min) {
        problem(`This value must be at least ${field.min}.`)
      } else if (typeof field.max === 'number' && number > field.max) {
        problem(`This value must be at most ${field.max}.`)
      }
      return
    }
    case 'checkbox':
      if (typeof value !== 'boolean') problem('This field takes true or false.')
      return
    case 'date':
      if (typeof value !== 'string' || !Number.isFinite(new Date(value).getTime())) {
        problem('This field takes a date such as 2026-01-31T12:00:00.000Z.')
      }
      return
    case 'select':
    case 'radio': {
      const values = optionValues(field)
      if (typeof value !== 'string' || !values.includes(value)) {
        problem(`This field takes one of: ${values.join(', ')}.`)
      }
      return
    }
    case 'relationship':
    case 'upload': {
      const relationTo = Array.isArray(field.relationTo)
        ? isPlainObject(value) && typeof value.relationTo === 'string'
          ? field.relationTo.find((slug) => slug === value.relationTo)
          : undefined
        : field.relationTo
      if (!relationTo) return problem(`This field takes {"relationTo": …, "value": …}.`)
      const target = Array.isArray(field.relationTo) && isPlainObject(value) ? value.value : value
      if (!context.hasNumericIds(relationTo)) return
      const id = toId(target)
      if (id === undefined) return problem(`This field takes the id of a ${relationTo} document.`)
      context.references.push({ path, collection: relationTo, id })
      return
    }
    case 'richText':
      if (!isPlainObject(value) || !isPlainObject(value.root)) {
        problem('This field takes rich text: an editor state object with a root node.')
      }
      return
    case 'point':
      if (!Array.isArray(value) || value.length !== 2 || !value.every(isNumberLike)) {
        problem('This field takes a point: [longitude, latitude].')
      }
      return
    default:
      return
  }
}

const hasMany = (field: FlattenedField): boolean => 'hasMany' in field && field.hasMany === true

const checkFields = (
  fields: FlattenedField[],
  data: Record<string, unknown>,
  prefix: string,
  context: Context,
) => {
  for (const field of fields) {
    if (!(field.name in data)) continue
    const value = data[field.name]
    const path = `${prefix}${field.name}`
    if (value === null || value === undefined) continue
    if (field.type === 'group' || field.type === 'tab') {
      if (!isPlainObject(value))
        context.problems.push({ path, message: 'This field takes an object.' })
      else checkFields(field.flattenedFields, value, `${path}.`, context)
    } else if (field.type === 'array') {
      if (!Array.isArray(value))
        context.problems.push({ path, message: 'This field takes a list.' })
      else
        value.forEach((row, index) => {
          if (!isPlainObject(row)) {
            context.problems.push({ path: `${path}.${index}`, message: 'Each row is an object.' })
          } else checkFields(field.flattenedFields, row, `${path}.${index}.`, context)
        })
    } else if (field.type === 'blocks' || field.type === 'join' || field.type === 'json') {
      // Blocks carry their own schemas, joins are read-only (Payload ignores what is sent), and
      // JSON takes anything.
      continue
    } else if (hasMany(field)) {
      if (!Array.isArray(value))
        context.problems.push({ path, message: 'This field takes a list.' })
      else value.forEach((entry, index) => checkScalar(field, entry, `${path}.${index}`, context))
    } else {
      checkScalar(field, value, path, context)
    }
  }
}

/**
 * Checks submitted data against the fields' types before Payload's hooks and validators see it.
 * Payload coerces what it does not expect (an object into a text column as its JSON, `1.5` into a
 * relationship id) or passes it to the database, which fails with a 500. Hidden fields (password
 * hashes, tokens, two-factor secrets) are reported in `hiddenKeys`, for the caller to drop.
 */
export const checkFieldValues = (
  fields: FlattenedField[],
  data: Record<string, unknown>,
  options: CheckOptions,
): FieldValueCheck => {
  const context: Context = { ...options, problems: [], references: [] }
  const visibleFields = fields.filter((field) => !field.hidden)
  const hiddenKeys = fields
    .filter((field) => field.hidden && field.name in data)
    .map((field) => field.name)
  if (options.rejectUnknownKeys) {
    const known = new Set([...fields.map((field) => field.name), ...(options.extraTextKeys ?? [])])
    for (const key of Object.keys(data)) {
      if (!known.has(key)) {
        context.problems.push({ path: key, message: `${key} is not a field that can be set.` })
      }
    }
  }
  for (const key of options.extraTextKeys ?? []) {
    if (key in data && typeof data[key] !== 'string') {
      context.problems.push({ path: key, message: 'This field takes text.' })
    }
  }
  checkFields(visibleFields, data, '', context)
  return { problems: context.problems, references: context.references, hiddenKeys }
}
