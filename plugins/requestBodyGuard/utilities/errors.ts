import { APIError, ValidationError } from 'payload'

/*
 * Errors under explicit names. Payload names an error after its class, and the production build
 * leaves class names empty (Payload's APIError becomes an anonymous class) or mangled; an error
 * without `data` and without a name reaches a REST client as "An unknown error occurred.".
 */

/** 400 for a request body that is no object of field values. */
export const requestBodyError = (message: string): APIError => {
  const error = new APIError(message, 400, null, true)
  error.name = 'RequestBodyError'
  return error
}

/** Payload's ValidationError (`data.errors[]` with each field's path), named as Payload names it. */
export const fieldValidationError = (
  results: ConstructorParameters<typeof ValidationError>[0],
): ValidationError => {
  const error = new ValidationError(results)
  error.name = 'ValidationError'
  return error
}
