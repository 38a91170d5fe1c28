import { describe, expect, it } from 'vitest'

import { isDocumentIdText } from './documentId'

describe('isDocumentIdText', () => {
  it.each(['1', '42', '2147483647'])('should accept %s', (text) => {
    expect(isDocumentIdText(text)).toBe(true)
  })

  it.each([
    '0',
    '-1',
    '2147483648',
    '1.5',
    '5abc',
    '1e3',
    '0x10',
    ' 1',
    '01',
    '',
    'NaN',
    '1 OR 1=1',
  ])('should refuse %j', (text) => {
    expect(isDocumentIdText(text)).toBe(false)
  })
})
