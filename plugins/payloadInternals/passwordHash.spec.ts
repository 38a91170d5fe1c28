import crypto from 'node:crypto'

import { describe, expect, it } from 'vitest'

import { isPayloadPasswordMatching } from './passwordHash'

const hashOf = (password: string, salt: string, iterations: number, keyLength: number) =>
  crypto.pbkdf2Sync(password, salt, iterations, keyLength, 'sha256').toString('hex')

describe("Payload's password check", () => {
  it('should accept the right password for a current and a legacy hash', async () => {
    const salt = 'a1b2'
    const current = `pbkdf2-sha256-v1:${hashOf('correct horse', salt, 600_000, 32)}`
    const legacy = hashOf('correct horse', salt, 25_000, 512)
    expect(
      await isPayloadPasswordMatching({ password: 'correct horse', salt, hash: current }),
    ).toBe(true)
    expect(await isPayloadPasswordMatching({ password: 'correct horse', salt, hash: legacy })).toBe(
      true,
    )
  })

  it('should refuse a wrong password and a user without a password', async () => {
    const salt = 'a1b2'
    const hash = `pbkdf2-sha256-v1:${hashOf('correct horse', salt, 600_000, 32)}`
    expect(await isPayloadPasswordMatching({ password: 'wrong horse', salt, hash })).toBe(false)
    expect(await isPayloadPasswordMatching({ password: 'x', salt: null, hash: null })).toBe(false)
  })
})
