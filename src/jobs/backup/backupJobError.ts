import { createSecretScrubber } from '../../server/observability/scrubSecrets'

/**
 * A failure of `npm run backup` or `npm run drill` whose message is complete on its own: what went
 * wrong and what to do. The CLIs print it as it is; any other error is unexpected.
 */
export class BackupJobError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'BackupJobError'
  }
}

/**
 * One line for an operator about any error: an `BackupJobError`'s message as written, anything else
 * as its message, with credentials in URLs and the given secret values cut out. Every failure the
 * backup and the drill report passes through here with `getEnvSecretValues(env)`, so the tools'
 * own output (pg_dump's, pg_restore's stderr) needs no scrubbing of its own.
 */
export const describeFailure = (error: unknown, secretValues: (string | undefined)[]): string => {
  const message =
    error instanceof BackupJobError
      ? error.message
      : error instanceof Error
        ? `${error.name === 'Error' ? '' : `${error.name}: `}${error.message || 'unknown error'}`
        : String(error)
  return createSecretScrubber({ secretValues })(message) as string
}
