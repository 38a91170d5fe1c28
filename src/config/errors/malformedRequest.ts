import { APIError, type AfterErrorHook } from 'payload'

/** What busboy, Payload's body parser, throws for bodies that are not what they claim to be. */
const malformedBodyMessages = [
  /^Malformed (content type|part header|urlencoded form)$/,
  /^Missing Content-Type$/,
  /^Multipart: Boundary not found$/,
  /^Unexpected end of (file|form)$/,
  /^Unsupported content type: /,
]

export const isMalformedBodyError = (error: unknown): boolean =>
  error instanceof Error &&
  !(error instanceof APIError) &&
  malformedBodyMessages.some((pattern) => pattern.test(error.message))

/**
 * Payload parses the `_payload` field of a multipart body with JSON.parse inside its handler, so
 * malformed JSON there surfaces as a bare SyntaxError.
 */
export const isMalformedPayloadFieldError = (
  error: unknown,
  contentType: null | string | undefined,
) => error instanceof SyntaxError && /^multipart\/form-data/i.test(contentType ?? '')

/**
 * A request whose body cannot be parsed is the client's mistake: answer 400 and say why, rather
 * than the 500 "Something went wrong" Payload gives to errors it does not recognise.
 */
export const malformedRequestAfterErrorHook: AfterErrorHook = ({ error, req }) => {
  if (isMalformedPayloadFieldError(error, req?.headers?.get('content-type'))) {
    return {
      status: 400,
      response: { errors: [{ message: 'The _payload field of the form is not valid JSON.' }] },
    }
  }
  if (!isMalformedBodyError(error)) return
  return {
    status: 400,
    response: {
      errors: [{ message: `The request body could not be parsed (${(error as Error).message}).` }],
    },
  }
}
