import { APIError, ValidationError } from 'payload'

type PublicApiErrorArgs<TData extends Record<string, unknown> | null> = {
  /**
   * What the error is, in PascalCase (`TwoFactorConflictError`): GraphQL answers carry it in
   * `extensions.name`, and without one Payload's REST answer loses the message.
   */
  name: string
  /** Shown to the client as `errors[0].message`: say what to do. */
  message: string
  status: number
  /** Shown to the client as `errors[0].data`. */
  data?: TData
}

/**
 * An APIError whose name and message reach the client in the production build.
 *
 * Payload names an error after its class (`this.constructor.name`). Next.js bundles and minifies
 * server code, and there Payload's `APIError` is an anonymous class expression (`class extends
 * o {…}`, its name empty) and a subclass of ours a one-letter name. Payload's REST error formatter
 * keeps the message of an error without `data` only when the error has a name, so a 409 from a
 * two-factor endpoint or a 415 from an upload reached the client as "An unknown error occurred.".
 * An explicit name does not depend on what the minifier leaves.
 */
export const publicApiError = <TData extends Record<string, unknown> | null = null>({
  name,
  message,
  status,
  data,
}: PublicApiErrorArgs<TData>): APIError<TData> => {
  const error = new APIError<TData>(message, status, (data ?? null) as TData, true)
  error.name = name
  return error
}

/**
 * Payload's ValidationError (400, `data.errors[]` with each field's path and message) under its
 * own name whatever the build made of the class's: clients check `errors[0].name`.
 */
export const validationError = (
  results: ConstructorParameters<typeof ValidationError>[0],
): ValidationError => {
  const error = new ValidationError(results)
  error.name = 'ValidationError'
  return error
}
