import { describe, expect, it } from 'vitest'

import { isServableFilenameByDefault } from './storedFilename'

describe('isServableFilenameByDefault', () => {
  it.each(['photo.jpg', 'photo-640x480.webp', 'My holiday photo.png', 'a..b.jpg'])(
    'should accept %s',
    (filename) => {
      expect(isServableFilenameByDefault(filename)).toBe(true)
    },
  )

  it.each([
    ['an empty name', ''],
    ['a parent directory', '../etc/passwd'],
    ['a backslash', 'a\\b.jpg'],
    ['a NUL byte', 'a\u0000.jpg'],
    ['a leading dot', '.env'],
    ['a name too long to store', `${'a'.repeat(300)}.jpg`],
  ])('should refuse %s', (_label, filename) => {
    expect(isServableFilenameByDefault(filename)).toBe(false)
  })
})
