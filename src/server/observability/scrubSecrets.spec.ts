import { describe, expect, it } from 'vitest'

import { createSecretScrubber, redactedText } from './scrubSecrets'

const scrub = createSecretScrubber({
  secretValues: ['payload-secret-value-123', 'R2SECRETKEY987', 'abc', undefined],
})

describe('createSecretScrubber', () => {
  it('should cut known secret values out of any string, however deep', () => {
    expect(
      scrub({
        msg: 'signing with payload-secret-value-123 now',
        nested: [{ note: 'key=R2SECRETKEY987' }],
      }),
    ).toEqual({
      msg: `signing with ${redactedText} now`,
      nested: [{ note: `key=${redactedText}` }],
    })
  })

  it('should redact values under sensitive keys', () => {
    expect(
      scrub({
        password: 'hunter2',
        newPassword: 'x',
        headers: {
          authorization: 'JWT eyJ',
          cookie: 'payload-token=eyJ',
          'set-cookie': ['a'],
          accept: 'json',
        },
        resetPasswordToken: 'tok',
        salt: 's',
        hash: 'h',
        email: 'editor@example.com',
      }),
    ).toEqual({
      password: redactedText,
      newPassword: redactedText,
      headers: {
        authorization: redactedText,
        cookie: redactedText,
        'set-cookie': redactedText,
        accept: 'json',
      },
      resetPasswordToken: redactedText,
      salt: redactedText,
      hash: redactedText,
      email: 'editor@example.com',
    })
  })

  it('should remove passwords from connection URLs', () => {
    expect(scrub('connect to postgres://catalog:p%40ss-w0rd@db:5432/catalog failed')).toBe(
      `connect to postgres://catalog:${redactedText}@db:5432/catalog failed`,
    )
  })

  it('should turn errors into plain objects with their stack, scrubbed', () => {
    const error = Object.assign(new Error('bad key R2SECRETKEY987'), { status: 500 })
    const result = scrub({ err: error }) as { err: Record<string, unknown> }
    expect(result.err).toMatchObject({
      type: 'Error',
      message: `bad key ${redactedText}`,
      status: 500,
    })
    expect(String(result.err.stack)).not.toContain('R2SECRETKEY987')
  })

  it('should keep the cause of an error, which JavaScript hides from enumeration', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })
    const result = scrub({ err: new Error('query failed', { cause }) }) as {
      err: { cause: Record<string, unknown> }
    }
    expect(result.err.cause).toMatchObject({
      type: 'Error',
      message: 'connect ECONNREFUSED',
      code: 'ECONNREFUSED',
    })
  })

  it('should ignore secret values too short to be told from ordinary words', () => {
    expect(scrub('abc is fine')).toBe('abc is fine')
  })

  it('should survive cycles', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' }
    cyclic.self = cyclic
    expect(scrub(cyclic)).toEqual({ name: 'loop', self: '[omitted]' })
  })
})
