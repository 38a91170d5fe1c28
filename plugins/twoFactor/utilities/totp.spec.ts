import { generate } from 'otplib'
import { describe, expect, it } from 'vitest'

import { buildOtpauthUri, createTotpSecret, normaliseTotpCode, verifyTotpCode } from './totp'

const totpIssuer = 'catalog-cms'

const epochOfStep = (step: number) => step * 30
const codeAt = (totpSecret: string, epoch: number) => generate({ secret: totpSecret, epoch })

describe('TOTP codes', () => {
  it('should build an otpauth URI that names the app and the account', () => {
    const totpSecret = createTotpSecret()
    const uri = new URL(
      buildOtpauthUri({ email: 'editor@example.test', issuer: totpIssuer, totpSecret }),
    )
    expect(uri.protocol).toBe('otpauth:')
    expect(uri.host).toBe('totp')
    expect(decodeURIComponent(uri.pathname)).toBe(`/${totpIssuer}:editor@example.test`)
    expect(uri.searchParams.get('secret')).toBe(totpSecret)
    expect(uri.searchParams.get('issuer')).toBe(totpIssuer)
  })

  it('should normalise six digits with spaces and reject anything else', () => {
    expect(normaliseTotpCode('123 456')).toBe('123456')
    for (const input of ['', '12345', '1234567', '12345a', 'abcdef']) {
      expect(normaliseTotpCode(input)).toBeUndefined()
    }
  })

  it('should accept the current code and refuse codes several steps away', async () => {
    const totpSecret = createTotpSecret()
    // Codes are computed for explicit steps around the current one, so no clock is mocked; even
    // if a step boundary passes before the check, 0 stays within one step and ±3 stays outside.
    const now = Math.floor(Date.now() / 1000)
    const currentStep = Math.floor(now / 30)
    const verdicts = await Promise.all(
      [-3, 0, 3].map(async (offset) =>
        verifyTotpCode({
          totpSecret,
          code: await codeAt(totpSecret, epochOfStep(currentStep + offset)),
        }),
      ),
    )
    expect(verdicts.map((step) => step !== undefined)).toEqual([false, true, false])
  })

  it('should refuse a code whose step is not later than the last accepted one', async () => {
    const totpSecret = createTotpSecret()
    const code = await codeAt(totpSecret, Math.floor(Date.now() / 1000))
    const step = await verifyTotpCode({ totpSecret, code })
    expect(step).toEqual(expect.any(Number))
    expect(await verifyTotpCode({ totpSecret, code, lastTimeStep: step })).toBeUndefined()
    expect(await verifyTotpCode({ totpSecret, code, lastTimeStep: (step as number) - 1 })).toBe(
      step,
    )
  })
})
