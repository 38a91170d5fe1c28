import type { FlattenedField } from 'payload'
import { describe, expect, it } from 'vitest'

import { config } from '../helpers/payload'

type Entity = { slug: string; admin?: { hidden?: unknown }; flattenedFields: FlattenedField[] }

/** Every field at any depth (groups, arrays, blocks), with its path. */
const allFields = (fields: FlattenedField[], prefix: string): [string, FlattenedField][] =>
  fields.flatMap((field): [string, FlattenedField][] => {
    const path = `${prefix}.${field.name}`
    const nested =
      'flattenedFields' in field
        ? allFields(field.flattenedFields, path)
        : 'blocks' in field
          ? field.blocks.flatMap((block) =>
              typeof block === 'string'
                ? []
                : allFields(block.flattenedFields, `${path}.${block.slug}`),
            )
          : []
    return [[path, field], ...nested]
  })

const isShownInAdmin = (field: FlattenedField) =>
  !('hidden' in field && field.hidden) && !field.admin?.hidden && !field.admin?.disabled

const hasOwnFieldComponent = (field: FlattenedField) => {
  const components = field.admin?.components
  return Boolean(components && 'Field' in components && components.Field)
}

describe('the admin and third parties', () => {
  // Regression: the audit log's changes (a JSON field) stayed a grey bar offline.
  it("should show no JSON or code field with Payload's editor, which loads from a public CDN", async () => {
    const sanitized = await config
    const entities: Entity[] = [...sanitized.collections, ...sanitized.globals]
    const offending = entities
      .filter((entity) => !entity.admin?.hidden)
      .flatMap((entity) => allFields(entity.flattenedFields, entity.slug))
      .filter(([, field]) => field.type === 'json' || field.type === 'code')
      .filter(([, field]) => isShownInAdmin(field) && !hasOwnFieldComponent(field))
      .map(([path]) => path)
    expect(offending).toEqual([])
  })
})
