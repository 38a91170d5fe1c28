/**
 * The id of the session a request's user was authenticated with (`useSessions`), or undefined.
 * Internal: Payload's JWT strategy sets it as `_sid` on `req.user`.
 */
export const getAuthenticatedSessionId = (user: unknown): string | undefined => {
  const sessionId = (user as { _sid?: unknown } | null | undefined)?._sid
  return typeof sessionId === 'string' ? sessionId : undefined
}
