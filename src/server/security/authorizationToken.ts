import crypto from 'node:crypto'
import type { IncomingHttpHeaders } from 'node:http'

import { jwtVerify } from 'jose'

/** The key Payload signs session tokens with: the first 32 hex characters of SHA-256(secret). */
export const derivePayloadSigningKey = (payloadSecret: string): Uint8Array =>
  new TextEncoder().encode(
    crypto.createHash('sha256').update(payloadSecret).digest('hex').slice(0, 32),
  )

const headerToken = /^(?:JWT|Bearer) (.+)$/
const tokenCookie = /(?:^|;\s*)payload-token=([^;]+)/

/** What a request's Payload session token says, once verified with this deployment's key. */
export type SessionToken = {
  /** A token in the Authorization header that this deployment did not sign, or that expired. */
  isRejectedHeaderToken: boolean
  /** The signed-in user's id, from a valid token in the header or the session cookie. */
  userId?: number | string
}

const noToken: SessionToken = { isRejectedHeaderToken: false }

/**
 * Reads and verifies the session token of a request (Authorization header first, then Payload's
 * cookie). Used by the HTTP server twice per request — to refuse stale header tokens and to put
 * the user id in the request log — so one verification serves both.
 */
export const createSessionTokenReader = (payloadSecret: string) => {
  const key = derivePayloadSigningKey(payloadSecret)
  return async (headers: IncomingHttpHeaders): Promise<SessionToken> => {
    const fromHeader = headers.authorization?.match(headerToken)?.[1]
    const token = fromHeader ?? headers.cookie?.match(tokenCookie)?.[1]
    if (!token) return noToken
    try {
      const { id } = (await jwtVerify(token, key)).payload
      return {
        isRejectedHeaderToken: false,
        userId: typeof id === 'number' || typeof id === 'string' ? id : undefined,
      }
    } catch {
      return { isRejectedHeaderToken: fromHeader !== undefined }
    }
  }
}

/**
 * Payload alone would treat a request with a stale header token as anonymous: 403 on a write,
 * `user: null` on /me, a public read as if no token had been sent. A client that sent credentials
 * deserves to hear that they are no longer valid (RFC 6750: 401, `invalid_token`), so it can sign
 * in again. Cookies are left to Payload: the admin sends its session that way and handles an ended
 * session itself, and other schemes (Payload API keys) are not session tokens.
 */
export const invalidTokenMessage =
  'The session token in the Authorization header is invalid or has expired. Send requests without it, and sign in again for a new one.'
