import { describe, expect, it } from 'vitest'

import { containsNulCharacter, hasMalformedPercentEncoding } from './percentEncoding'

describe('hasMalformedPercentEncoding', () => {
  it.each(['/api/items/12', '/api/items/a%20b', '?where[name][equals]=caf%C3%A9', ''])(
    'should accept %j',
    (text) => expect(hasMalformedPercentEncoding(text)).toBe(false),
  )

  it.each(['/api/items/%', '/api/%ZZ', '/api/items/%E0%A4%A', '?q=%C3'])(
    'should refuse %j',
    (text) => expect(hasMalformedPercentEncoding(text)).toBe(true),
  )
})

describe('containsNulCharacter', () => {
  it('should find U+0000 anywhere in a string', () => {
    expect(containsNulCharacter('a\u0000b')).toBe(true)
    expect(containsNulCharacter('a%00b')).toBe(false)
  })
})
