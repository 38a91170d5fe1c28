import pino, { type Logger } from 'pino'
import pretty from 'pino-pretty'

import { databaseOutageEvents, getDatabaseOutageMonitor } from '../../database/outageMonitor'
import { isDatabaseUnavailableError } from '../../database/unavailable'
import type { AppEnv } from '../../config/env'
import { getProcessSingleton } from '../../lib/processSingleton'

import { clientDataSqlState } from '../../config/errors/databaseInputError'
import {
  isMalformedBodyError,
  isMalformedPayloadFieldError,
} from '../../config/errors/malformedRequest'
import { currentRequestContentType, requestLogFields } from './requestContext'
import { createSecretScrubber } from './scrubSecrets'

type SecretEnv = Pick<AppEnv, 'PAYLOAD_SECRET' | 'DATABASE_URL' | 'r2'> & {
  ADMIN_PASSWORD?: string
  ADMIN_PASSWORD_HASH?: string
  METRICS_TOKEN?: string
  DRILL_DATABASE_URL?: string
  DATABASE_REPLICA_URLS?: string[]
  CLOUDFLARE_API_TOKEN?: string
  CACHE_PURGE_URLS?: string[]
}

type LoggerEnv = SecretEnv & Pick<AppEnv, 'LOG_LEVEL' | 'isProduction'>

const urlPassword = (url: string | undefined): string | undefined => {
  try {
    return (url && decodeURIComponent(new URL(url).password)) || undefined
  } catch {
    return undefined
  }
}

/**
 * Every secret value in the environment, for cutting out of anything printed: logs here, and the
 * errors `npm run backup` and `npm run drill` report.
 */
export const getEnvSecretValues = (env: SecretEnv): (string | undefined)[] => [
  env.PAYLOAD_SECRET,
  env.ADMIN_PASSWORD,
  env.ADMIN_PASSWORD_HASH,
  env.METRICS_TOKEN,
  env.CLOUDFLARE_API_TOKEN,
  env.r2?.accessKeyId,
  env.r2?.secretAccessKey,
  ...[
    env.DATABASE_URL,
    env.DRILL_DATABASE_URL,
    ...(env.DATABASE_REPLICA_URLS ?? []),
    ...(env.CACHE_PURGE_URLS ?? []),
  ].map(urlPassword),
]

type ErrorFields = {
  status?: unknown
  originalError?: { status?: unknown }
}

/** The HTTP status an error carries: its own, or (GraphQL) that of the error it wraps. */
const statusOfError = (error: unknown): unknown => {
  const fields = error as ErrorFields | null | undefined
  return fields?.status ?? fields?.originalError?.status
}

/**
 * A refusal — access denied, invalid input, wrong password, not found, too large — is the client's
 * error, answered with a 4xx and reported by its request line; never an error of ours.
 */
const isRefusal = (error: unknown): boolean => {
  const status = statusOfError(error)
  if (typeof status === 'number') return status >= 400 && status < 500
  // A body that cannot be parsed has no status until the error hook answers it with a 400, and
  // Payload logs before its error hooks run: recognise it the way that hook does.
  return (
    isMalformedBodyError(error) || isMalformedPayloadFieldError(error, currentRequestContentType())
  )
}

/** The error a log call is about: `{ err }` (ours and Payload's), or the error itself. */
const loggedError = (fields: unknown): unknown =>
  fields instanceof Error
    ? fields
    : typeof fields === 'object' && fields !== null
      ? (fields as { err?: unknown }).err
      : undefined

/**
 * A GraphQL error hides the error it wraps from enumeration, and with it the cause: log the
 * wrapped error (with the cause chain pino follows) and the GraphQL path instead.
 */
const withGraphQLErrorUnwrapped = (args: unknown[]): unknown[] => {
  const [fields, ...rest] = args
  const error = loggedError(fields) as { originalError?: unknown; path?: unknown } | undefined
  if (!(error?.originalError instanceof Error) || fields instanceof Error) return args
  const path = Array.isArray(error.path) ? { graphqlPath: error.path.join('.') } : {}
  return [{ ...(fields as object), ...path, err: error.originalError }, ...rest]
}

export const validationGapMessage =
  'A request value reached the database and was refused there (answered 400): the request validation should refuse it first'

const isOutageReport = (fields: unknown): boolean =>
  Object.values<unknown>(databaseOutageEvents).includes((fields as { event?: unknown }).event)

const warnLevel = pino.levels.values.warn

/**
 * pino's error serializer names the type of what it is given, and what it is given is the
 * scrubbed copy (a plain object): keep the type the copy recorded instead of "Object".
 */
const serializeScrubbedError = (value: unknown): unknown => {
  const serialized = pino.stdSerializers.err(value as Error) as unknown
  const type = (value as { type?: unknown } | null)?.type
  return typeof type === 'string' && typeof serialized === 'object' && serialized !== null
    ? { ...serialized, type }
    : serialized
}

/**
 * The application's pino logger, also handed to Payload, so the app's, Payload's and the request
 * logs share one format and one set of redactions. JSON lines with `ts` and a textual `level` in
 * production; pretty-printed elsewhere.
 *
 * Redaction happens before pino sees an argument: every secret value from the environment is cut
 * out of any string, sensitive keys are masked, and URL credentials removed.
 *
 * An error line is for something an operator must look at, once, findable by request id:
 * - lines written while serving a request carry its `reqId`;
 * - a warning or error about a refusal (an error with a 4xx status) is written at `debug`: Payload
 *   logs by error name (`loggingLevels`), and a name cannot tell a refused request from a failed
 *   one for its generic APIError or for GraphQL errors;
 * - one about an unreachable database goes to the outage monitor, which writes one error line per
 *   outage (and one info line when it is over) instead of one per failed request;
 * - a GraphQL error is logged as the error it wraps, so the cause is in the line.
 */
export const createAppLogger = (env: LoggerEnv, destination?: pino.DestinationStream): Logger => {
  const scrub = createSecretScrubber({ secretValues: getEnvSecretValues(env) })
  const options: pino.LoggerOptions = {
    level: env.LOG_LEVEL,
    base: undefined,
    messageKey: 'msg',
    timestamp: () => `,"ts":"${new Date().toISOString()}"`,
    formatters: { level: (label) => ({ level: label }) },
    mixin: requestLogFields,
    serializers: { err: serializeScrubbedError },
    hooks: {
      logMethod(args, method, level) {
        const error = level >= warnLevel ? loggedError(args[0]) : undefined
        if (error !== undefined && !isOutageReport(args[0])) {
          if (isRefusal(error)) {
            if (this.isLevelEnabled('debug')) this.debug(...(args as Parameters<Logger['debug']>))
            return
          }
          const sqlState = clientDataSqlState(error)
          if (sqlState) {
            // Answered 400 by databaseInputAfterErrorHook: the client's value, not our failure,
            // but one the request validation should have caught. One line to find the gap by.
            this.warn({ sqlState, msg: validationGapMessage })
            return
          }
          if (
            isDatabaseUnavailableError(error) &&
            getDatabaseOutageMonitor().recordFailure(error)
          ) {
            return
          }
        }
        method.apply(this, withGraphQLErrorUnwrapped(args).map(scrub) as Parameters<typeof method>)
      },
    },
  }
  if (destination) return pino(options, destination)
  if (env.isProduction) return pino(options)
  return pino(
    options,
    pretty({
      colorize: true,
      timestampKey: 'ts',
      translateTime: 'SYS:HH:MM:ss',
      ignore: 'pid,hostname',
    }),
  )
}

/**
 * One logger per process, shared by the server entry point and the Payload config: the first call
 * creates it (with `destination`, tests read what the server and Payload log).
 */
export const getAppLogger = (env: LoggerEnv, destination?: pino.DestinationStream): Logger =>
  getProcessSingleton('catalog-cms.logger', () => createAppLogger(env, destination))
