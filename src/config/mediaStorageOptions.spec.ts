import { describe, expect, it } from 'vitest'

import { isWellFormedStoredFilename } from './mediaStorageOptions'

describe('isWellFormedStoredFilename', () => {
  it.each(['photo-3f2a9c01de.jpg', 'photo-3f2a9c01de-640x480.webp', 'old_name.v2.png'])(
    'should accept %s',
    (filename) => {
      expect(isWellFormedStoredFilename(filename)).toBe(true)
    },
  )

  it.each(['../etc/passwd', 'a..b.jpg', 'a\\b.jpg', 'a b.jpg', 'a\u0000.jpg', '.env', "a'.jpg"])(
    'should refuse %s',
    (filename) => {
      expect(isWellFormedStoredFilename(filename)).toBe(false)
    },
  )

  it('should refuse a name too long to store', () => {
    expect(isWellFormedStoredFilename(`${'a'.repeat(300)}.jpg`)).toBe(false)
  })
})
