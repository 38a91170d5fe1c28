import { describe, expect, it } from 'vitest'

import { describeChanges, emptyValueText, formatAuditValue } from './describeChanges'

describe('formatAuditValue', () => {
  it('should print strings as they are, quoting only the empty one', () => {
    expect(formatAuditValue('Red chair')).toBe('Red chair')
    expect(formatAuditValue('')).toBe('""')
  })

  it('should print numbers and booleans as written, and nothing as "(empty)"', () => {
    expect(formatAuditValue(2599)).toBe('2599')
    expect(formatAuditValue(false)).toBe('false')
    expect(formatAuditValue(null)).toBe(emptyValueText)
    expect(formatAuditValue(undefined)).toBe(emptyValueText)
  })

  it('should print objects and arrays as indented JSON', () => {
    expect(formatAuditValue({ root: { children: [] } })).toBe(
      '{\n  "root": {\n    "children": []\n  }\n}',
    )
    expect(formatAuditValue([1, 2])).toBe('[\n  1,\n  2\n]')
  })
})

describe('describeChanges', () => {
  it('should list the changed fields of an update with their values before and after', () => {
    const view = describeChanges({
      fields: [
        { path: 'price', before: 2599, after: 1999 },
        { path: 'category', before: null, after: 4 },
        { path: 'password', before: '[redacted]', after: '[redacted]' },
      ],
    })
    expect(view).toEqual({
      kind: 'changedFields',
      rows: [
        { path: 'price', before: '2599', after: '1999' },
        { path: 'category', before: emptyValueText, after: '4' },
        { path: 'password', before: '[redacted]', after: '[redacted]' },
      ],
    })
  })

  it('should list the fields of a create or delete snapshot', () => {
    expect(describeChanges({ snapshot: { id: 7, name: 'Chairs', tags: ['a'] } })).toEqual({
      kind: 'values',
      rows: [
        { path: 'id', value: '7' },
        { path: 'name', value: 'Chairs' },
        { path: 'tags', value: '[\n  "a"\n]' },
      ],
    })
  })

  it('should list any other recorded detail, such as why a login failed', () => {
    expect(describeChanges({ reason: 'locked' })).toEqual({
      kind: 'values',
      rows: [{ path: 'reason', value: 'locked' }],
    })
  })

  it('should say there is nothing for a row without changes', () => {
    expect(describeChanges(null)).toEqual({ kind: 'empty' })
    expect(describeChanges(undefined)).toEqual({ kind: 'empty' })
    expect(describeChanges({})).toEqual({ kind: 'empty' })
    expect(describeChanges({ fields: [] })).toEqual({ kind: 'empty' })
  })

  it('should fall back to the JSON of shapes it does not know, without losing anything', () => {
    expect(describeChanges([1, 'two'])).toEqual({ kind: 'json', text: '[\n  1,\n  "two"\n]' })
    expect(describeChanges('text')).toEqual({ kind: 'json', text: 'text' })
    // `fields` that are not changes, or beside other keys, are shown as recorded values.
    expect(describeChanges({ fields: ['name'] })).toEqual({
      kind: 'values',
      rows: [{ path: 'fields', value: '[\n  "name"\n]' }],
    })
  })
})
