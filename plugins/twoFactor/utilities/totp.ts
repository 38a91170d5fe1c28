import { generateSecret, generateURI, verify } from 'otplib'

/**
 * One 30-second step either side of the server's clock: phones drift, and people type slowly.
 * Replay protection (`afterTimeStep`) keeps a code from working twice within that window.
 */
const toleranceSeconds = 30

export const createTotpSecret = (): string => generateSecret()

/** `issuer` is shown by authenticator apps above the account name. */
export const buildOtpauthUri = ({
  email,
  issuer,
  totpSecret,
}: {
  email: string
  issuer: string
  totpSecret: string
}) => generateURI({ issuer, label: email, secret: totpSecret })

/** A six-digit code with any spaces removed (apps show `123 456`), or undefined. */
export const normaliseTotpCode = (input: string): string | undefined => {
  const digits = input.replace(/\s/g, '')
  return /^\d{6}$/.test(digits) ? digits : undefined
}

type VerifyTotpArgs = {
  totpSecret: string
  code: string
  /** The time step of the last accepted code; only later steps are accepted. */
  lastTimeStep?: number | null
}

/** The RFC 6238 time step the code belongs to, or undefined when it is not valid now. */
export const verifyTotpCode = async ({
  totpSecret,
  code,
  lastTimeStep,
}: VerifyTotpArgs): Promise<number | undefined> => {
  const result = await verify({
    secret: totpSecret,
    token: code,
    epochTolerance: toleranceSeconds,
    ...(typeof lastTimeStep === 'number' ? { afterTimeStep: lastTimeStep } : {}),
  })
  return result.valid && 'timeStep' in result ? result.timeStep : undefined
}
