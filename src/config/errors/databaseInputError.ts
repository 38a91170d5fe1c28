import type { AfterErrorHook } from 'payload'

/**
 * SQLSTATEs that mean "the value does not fit": class 22 (data exception: invalid text for an
 * integer, out of range, NUL in text, bad date), and the integrity checks a missing reference or
 * an absent required value trips.
 */
const isClientDataState = (code: unknown): boolean =>
  typeof code === 'string' &&
  (/^22[0-9A-Z]{3}$/.test(code) || ['23502', '23503', '23514'].includes(code))

type WrappedError = { code?: unknown; cause?: unknown; originalError?: unknown }

/**
 * PostgreSQL's error code when it says the client's value does not fit, on the error or on what it
 * wraps (the driver's, GraphQL's original); otherwise undefined.
 */
export const clientDataSqlState = (error: unknown): string | undefined => {
  let current: unknown = error
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const { code, cause, originalError } = current as WrappedError
    if (isClientDataState(code)) return code as string
    current = originalError ?? cause
  }
  return undefined
}

export const isDatabaseInputError = (error: unknown): boolean =>
  clientDataSqlState(error) !== undefined

export const databaseInputMessage =
  'A value in the request cannot be stored or compared: it has the wrong type, is out of range, or refers to something that does not exist.'

/**
 * The last line behind the request validation: a value that still reaches PostgreSQL and is
 * refused there is the client's error, answered 400 without the SQL (Payload would say 500
 * "Something went wrong"). The app logger writes it as a warning without the query or stack (see
 * logger.ts), so a gap in the validation shows up in the logs without counting as an error.
 */
export const databaseInputAfterErrorHook: AfterErrorHook = (args) => {
  if (!isDatabaseInputError(args.error)) return
  if (args.graphqlResult) {
    return {
      graphqlResult: {
        ...args.graphqlResult,
        message: databaseInputMessage,
        extensions: { ...args.graphqlResult.extensions, name: 'ValidationError', statusCode: 400 },
      },
    }
  }
  return { status: 400, response: { errors: [{ message: databaseInputMessage }] } }
}
