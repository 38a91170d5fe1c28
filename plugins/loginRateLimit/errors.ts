import { APIError } from 'payload'

import { describeSignInRefusal } from './utilities/loginRefusals'

/**
 * An APIError with an explicit name: Payload names errors after their class, which a minifier
 * renames, and its REST answer drops the message of an error without a name.
 */
const namedApiError = <TData extends Record<string, unknown> | null>(
  name: string,
  message: string,
  status: number,
  data: TData,
): APIError<TData> => {
  const error = new APIError<TData>(message, status, data, true)
  error.name = name
  return error
}

/** 429 with the wait in `data.retryAfterSeconds`; the Retry-After header is set by the caller. */
export const tooManySignInAttemptsError = (msBeforeRetry: number) => {
  const { message, data } = describeSignInRefusal(msBeforeRetry)
  return namedApiError('TooManySignInAttemptsError', message, 429, data)
}

export const signInUnavailableError = () =>
  namedApiError(
    'SignInUnavailableError',
    'Sign-in is temporarily unavailable. Try again in a minute.',
    503,
    null,
  )
