import { describe, expect, it } from 'vitest'

import { toUniqueUploadFilename } from './uploadFilename'

const namePattern = /^[a-z0-9]+(?:-[a-z0-9]+)*-[0-9a-f]{10}\.[a-z0-9]+$/

describe('toUniqueUploadFilename', () => {
  it('should keep a readable base, add a random suffix and use the detected extension', () => {
    const name = toUniqueUploadFilename('Summer Sale Banner.PNG', 'webp')
    expect(name).toMatch(/^summer-sale-banner-[0-9a-f]{10}\.webp$/)
  })

  it('should give two uploads of the same file different names', () => {
    expect(toUniqueUploadFilename('a.jpg', 'jpg')).not.toBe(toUniqueUploadFilename('a.jpg', 'jpg'))
  })

  it.each([
    '../../etc/passwd',
    '..\\..\\windows\\system32.jpg',
    'evil\u0000name\u0007.jpg',
    '\u202Egnp.exe.jpg',
    '.htaccess',
    '',
  ])('should reduce %j to a safe name', (original) => {
    const name = toUniqueUploadFilename(original, 'jpg')
    expect(name).toMatch(namePattern)
    expect(name).not.toMatch(/[/\\\u0000-\u001f]|\.\./)
  })

  it('should fold Unicode to ASCII and cap the length', () => {
    const name = toUniqueUploadFilename(`Ｃafé ${'très '.repeat(40)}.jpeg`, 'jpg')
    expect(name.startsWith('cafe-tres-tres')).toBe(true)
    expect(name.length).toBeLessThanOrEqual(60 + 1 + 10 + 4)
  })
})
