import { describe, expect, it } from 'vitest'

import { diffDocuments, redactDocument, redactedValue } from './redact'

const redacted = new Set(['password', 'salt', 'hash', 'secretNote'])

describe('redactDocument', () => {
  it('should replace named fields at any depth and keep the rest', () => {
    expect(
      redactDocument(
        {
          email: 'a@example.com',
          hash: 'abc',
          profile: { secretNote: 'x', bio: 'hi' },
          tags: [{ password: 'p' }],
        },
        redacted,
      ),
    ).toEqual({
      email: 'a@example.com',
      hash: redactedValue,
      profile: { secretNote: redactedValue, bio: 'hi' },
      tags: [{ password: redactedValue }],
    })
  })

  it('should turn dates into ISO strings and drop undefined values', () => {
    expect(
      redactDocument({ at: new Date('2026-01-02T03:04:05Z'), gone: undefined }, redacted),
    ).toEqual({
      at: '2026-01-02T03:04:05.000Z',
    })
  })
})

describe('diffDocuments', () => {
  it('should list changed fields by dotted path, ignoring timestamps', () => {
    const before = redactDocument(
      { name: 'A', price: 100, meta: { a: 1, b: 2 }, updatedAt: 'x' },
      redacted,
    )
    const after = redactDocument(
      { name: 'B', price: 100, meta: { a: 1, b: 3 }, updatedAt: 'y', added: true },
      redacted,
    )
    expect(diffDocuments(before, after)).toEqual([
      { path: 'added', before: null, after: true },
      { path: 'meta.b', before: 2, after: 3 },
      { path: 'name', before: 'A', after: 'B' },
    ])
  })

  it('should treat arrays as whole values', () => {
    expect(diffDocuments({ images: [1, 2] }, { images: [2, 1] })).toEqual([
      { path: 'images', before: [1, 2], after: [2, 1] },
    ])
  })

  it('should leave redacted and hidden fields out of the diff', () => {
    const before = redactDocument({ name: 'A' }, redacted)
    const after = redactDocument({ name: 'A', hash: 'new-hash', salt: 'new-salt' }, redacted)
    expect(diffDocuments(before, after)).toEqual([])
  })

  it('should find nothing when nothing changed', () => {
    expect(diffDocuments({ a: { b: [1] } }, { a: { b: [1] } })).toEqual([])
  })
})
