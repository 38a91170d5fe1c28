import { describe, expect, it } from 'vitest'

import {
  backupCodeCount,
  decryptTotpSecret,
  encryptTotpSecret,
  findBackupCodeHash,
  generateBackupCodes,
  hashBackupCode,
  normaliseBackupCode,
  parseStoredBackupCodes,
} from './secretStorage'

const appSecret = 'a'.repeat(32)
const totpSecret = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'

describe('TOTP secret encryption', () => {
  it('should round-trip for the same app secret and user, with a fresh IV each time', () => {
    const first = encryptTotpSecret({ appSecret, userId: 7, totpSecret })
    const second = encryptTotpSecret({ appSecret, userId: 7, totpSecret })
    expect(first).not.toBe(second)
    expect(first).not.toContain(totpSecret)
    expect(decryptTotpSecret({ appSecret, userId: 7, stored: first })).toBe(totpSecret)
  })

  it('should refuse another app secret, another user, or an altered value', () => {
    const stored = encryptTotpSecret({ appSecret, userId: 7, totpSecret })
    expect(decryptTotpSecret({ appSecret: 'b'.repeat(32), userId: 7, stored })).toBeUndefined()
    expect(decryptTotpSecret({ appSecret, userId: 8, stored })).toBeUndefined()
    const [version, iv, tag, ciphertext] = stored.split('.')
    const flipped = `${ciphertext[0] === 'A' ? 'B' : 'A'}${ciphertext.slice(1)}`
    expect(
      decryptTotpSecret({ appSecret, userId: 7, stored: [version, iv, tag, flipped].join('.') }),
    ).toBeUndefined()
    for (const garbage of [null, undefined, '', 'v1', 'v2.a.b.c', totpSecret]) {
      expect(decryptTotpSecret({ appSecret, userId: 7, stored: garbage })).toBeUndefined()
    }
  })
})

describe('backup codes', () => {
  it('should generate distinct, readable codes that normalise to themselves', () => {
    const codes = generateBackupCodes()
    expect(codes).toHaveLength(backupCodeCount)
    expect(new Set(codes).size).toBe(backupCodeCount)
    for (const code of codes) {
      expect(code).toMatch(/^[a-z2-9]{5}-[a-z2-9]{5}$/)
      expect(code).not.toMatch(/[01ilo]/)
      expect(normaliseBackupCode(code)).toBe(code.replace('-', ''))
    }
  })

  it('should accept what people type and reject what cannot be a code', () => {
    expect(normaliseBackupCode(' ABCDE-FGHJK ')).toBe('abcdefghjk')
    expect(normaliseBackupCode('abcde fghjk')).toBe('abcdefghjk')
    for (const input of [
      '',
      '123456',
      'abcde-fghj',
      'abcde-fghjkm',
      'abcde-fghj0',
      'abcde-fghjl',
    ]) {
      expect(normaliseBackupCode(input)).toBeUndefined()
    }
  })

  it('should find the stored hash a code matches, under the same app secret only', () => {
    const codes = generateBackupCodes().map((code) => normaliseBackupCode(code) as string)
    const storedHashes = codes.map((code) => hashBackupCode({ appSecret, code }))
    expect(findBackupCodeHash({ appSecret, code: codes[3], storedHashes })).toBe(storedHashes[3])
    expect(
      findBackupCodeHash({ appSecret: 'b'.repeat(32), code: codes[3], storedHashes }),
    ).toBeUndefined()
    expect(findBackupCodeHash({ appSecret, code: 'abcdefghjk', storedHashes })).toBeUndefined()
  })

  it('should read the stored list defensively', () => {
    expect(parseStoredBackupCodes('["a","b"]')).toEqual(['a', 'b'])
    expect(parseStoredBackupCodes('[1,"b",null]')).toEqual(['b'])
    for (const stored of [null, undefined, '', '{', '{"a":1}', '"text"']) {
      expect(parseStoredBackupCodes(stored)).toEqual([])
    }
  })
})
