import pino, { type Logger } from 'pino'
import pretty from 'pino-pretty'

import type { AppEnv } from '../env'
import { getProcessSingleton } from '../utilities/processSingleton'

import { createSecretScrubber } from './scrubSecrets'

type SecretEnv = Pick<AppEnv, 'PAYLOAD_SECRET' | 'DATABASE_URL' | 'r2'> & {
  ADMIN_PASSWORD?: string
  ADMIN_PASSWORD_HASH?: string
  METRICS_TOKEN?: string
  DRILL_DATABASE_URL?: string
  DATABASE_REPLICA_URLS?: string[]
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
  env.r2?.accessKeyId,
  env.r2?.secretAccessKey,
  ...[env.DATABASE_URL, env.DRILL_DATABASE_URL, ...(env.DATABASE_REPLICA_URLS ?? [])].map(
    urlPassword,
  ),
]

/**
 * The application's pino logger, also handed to Payload, so the app's, Payload's and the request
 * logs share one format and one set of redactions. JSON lines with `ts` and a textual `level` in
 * production; pretty-printed elsewhere.
 *
 * Redaction happens before pino sees an argument: every secret value from the environment is cut
 * out of any string, sensitive keys are masked, and URL credentials removed.
 */
export const createAppLogger = (env: LoggerEnv, destination?: pino.DestinationStream): Logger => {
  const scrub = createSecretScrubber({ secretValues: getEnvSecretValues(env) })
  const options: pino.LoggerOptions = {
    level: env.LOG_LEVEL,
    base: undefined,
    messageKey: 'msg',
    timestamp: () => `,"ts":"${new Date().toISOString()}"`,
    formatters: { level: (label) => ({ level: label }) },
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map(scrub) as Parameters<typeof method>)
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

/** One logger per process, shared by the server entry point and the Payload config. */
export const getAppLogger = (env: LoggerEnv): Logger =>
  getProcessSingleton('catalog-cms.logger', () => createAppLogger(env))
