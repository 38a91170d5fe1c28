import { describe, expect, it } from 'vitest'

import { resolveRequestId } from './requestId'

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('resolveRequestId', () => {
  it('should keep a well-formed incoming id', () => {
    expect(resolveRequestId('lb-7f3a9c01.abc')).toBe('lb-7f3a9c01.abc')
  })

  it('should generate an id when none is given', () => {
    expect(resolveRequestId(undefined)).toMatch(uuidPattern)
  })

  it.each(['short', 'has space inside it', 'line\nbreak-forged', 'x'.repeat(129), '{"json":1}'])(
    'should replace the malformed id %j',
    (incoming) => {
      expect(resolveRequestId(incoming)).toMatch(uuidPattern)
    },
  )

  it('should use the first of repeated headers', () => {
    expect(resolveRequestId(['first-id-123', 'second-id-456'])).toBe('first-id-123')
  })
})
