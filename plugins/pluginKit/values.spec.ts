import { describe, expect, it } from 'vitest'

import { isPlainObject } from './values'

describe('isPlainObject', () => {
  it.each([[{}], [{ a: 1 }]])('should accept %j', (value) =>
    expect(isPlainObject(value)).toBe(true),
  )
  it.each([['text'], [42], [null], [[1, 2]], [undefined]])('should reject %j', (value) =>
    expect(isPlainObject(value)).toBe(false),
  )
})
