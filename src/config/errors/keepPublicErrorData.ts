import type { AfterErrorHook } from 'payload'

/** What Payload's APIError (and ValidationError, a subclass) carries, read without `instanceof`. */
type PublicError = {
  name: string
  message: string
  data?: unknown
}

/**
 * Whether Payload shows the error's message (its `isErrorPublic`, without debug mode): marked
 * public, or not marked and with a status other than 500. A private error's answer is "Something
 * went wrong." and must stay so, whatever the build made of it.
 */
const isPublicError = (error: unknown): error is PublicError => {
  const candidate = error as
    (Partial<PublicError> & { isPublic?: unknown; status?: unknown }) | null | undefined
  if (typeof candidate?.message !== 'string') return false
  if (typeof candidate.isPublic === 'boolean') return candidate.isPublic
  return typeof candidate.status === 'number' && candidate.status !== 500
}

const hasData = (error: PublicError): error is PublicError & { data: Record<string, unknown> } =>
  typeof error.data === 'object' && error.data !== null

/** Payload's REST answer for an error that has no name. */
const unnamedErrorAnswer = 'An unknown error occurred.'

type ErrorResponse = { errors?: Record<string, unknown>[] }

/**
 * Puts back into REST error answers what the production build makes Payload drop:
 * - `name` and `data` (field errors of a ValidationError, `twoFactorRequired` for the login form,
 *   `twoFactorEnrolmentRequired`). Payload adds them only for an error that is an `instanceof` its
 *   own APIError. The production build holds two copies of Payload — one bundled with the admin
 *   pages, one with the API route — and they share one Payload instance, cached on `globalThis`
 *   by whichever served the first request. Once the admin created it, errors thrown by its hooks,
 *   access rules and validation are instances of the other copy's classes.
 * - the message of an error without a name, answered "An unknown error occurred.". Payload's own
 *   APIError is an anonymous class in the minified build, so the refusals Payload throws itself
 *   (a bulk delete without `where`, say) have an empty name. Ours are named (publicApiError.ts).
 *
 * Only answers Payload gave for a public error are touched (a private one says "Something went
 * wrong." and stays so). GraphQL copies name, message and `data` itself and is left alone.
 */
export const keepPublicErrorData: AfterErrorHook = ({ error, graphqlResult, result }) => {
  if (graphqlResult || !isPublicError(error)) return
  const response = result as ErrorResponse | undefined
  const [first, ...rest] = response?.errors ?? []
  if (!first || rest.length > 0) return
  const hasLostMessage = first.message === unnamedErrorAnswer && error.message !== ''
  const hasLostData = hasData(error) && !('data' in first) && first.message === error.message
  if (!hasLostMessage && !hasLostData) return
  return {
    response: {
      ...response,
      errors: [
        {
          name: error.name || 'APIError',
          ...(hasData(error) ? { data: error.data } : {}),
          message: error.message,
        },
      ],
    },
  }
}
