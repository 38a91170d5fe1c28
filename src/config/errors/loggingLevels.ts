import type { Config } from 'payload'

/**
 * Payload's errors that are refusals: the client's mistake or missing rights, answered with a 4xx.
 * Payload logs Forbidden, NotFound and ValidationError at `info` (a line per refusal, besides the
 * request line) and the others at `error` with a stack; the request line already says what
 * happened, so the error itself is only for `LOG_LEVEL=debug`. Names say nothing for the generic
 * APIError, thrown with any status, and GraphQL errors: the app logger sorts those by status.
 */
export const refusalLoggingLevels: Config['loggingLevels'] = {
  AuthenticationError: 'debug',
  FileUploadError: 'debug',
  Forbidden: 'debug',
  Locked: 'debug',
  LockedAuth: 'debug',
  MissingFile: 'debug',
  NotFound: 'debug',
  QueryError: 'debug',
  UnverifiedEmail: 'debug',
  ValidationError: 'debug',
}
