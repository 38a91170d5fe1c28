import type { AfterErrorHook } from 'payload'

/** What Payload's APIError (and ValidationError, a subclass) carries, read without `instanceof`. */
type ErrorWithData = {
  name: string
  message: string
  isPublic: true
  data: Record<string, unknown>
}

const isPublicErrorWithData = (error: unknown): error is ErrorWithData => {
  const candidate = error as Partial<ErrorWithData> | null | undefined
  return (
    typeof candidate?.message === 'string' &&
    candidate.isPublic === true &&
    typeof candidate.data === 'object' &&
    candidate.data !== null
  )
}

type ErrorResponse = { errors?: Record<string, unknown>[] }

/**
 * Puts `name` and `data` back into REST error answers that lost them: field errors of a
 * ValidationError, `twoFactorRequired` for the login form, `twoFactorEnrolmentRequired`.
 *
 * Payload adds them only for an error that is an `instanceof` its own APIError. The production
 * build holds two copies of Payload — one bundled with the admin pages, one with the API route —
 * and they share one Payload instance, cached on `globalThis` by whichever served the first
 * request. Once the admin created it, errors thrown by its hooks, access rules and validation are
 * instances of the other copy's classes, and the API route answers with the message alone.
 *
 * Only errors Payload shows anyway are touched: public ones, whose message is what the answer
 * already says. GraphQL copies `data` without that check and is left alone.
 */
export const keepPublicErrorData: AfterErrorHook = ({ error, graphqlResult, result }) => {
  if (graphqlResult || !isPublicErrorWithData(error)) return
  const response = result as ErrorResponse | undefined
  const [first, ...rest] = response?.errors ?? []
  if (!first || 'data' in first || first.message !== error.message || rest.length > 0) return
  return {
    response: {
      ...response,
      errors: [{ name: error.name, data: error.data, message: error.message }],
    },
  }
}
