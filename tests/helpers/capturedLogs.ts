import type { Logger } from 'pino'

import { getEnv } from '../../src/config/env'
import { getAppLogger } from '../../src/server/observability/logger'

export type LogLine = Record<string, unknown> & {
  level?: string
  msg?: string
  reqId?: string
  err?: { type?: string; message?: string; stack?: string; code?: string }
}

export type CapturedLogs = {
  logger: Logger
  /** Every JSON line the process logged, in order. */
  lines: LogLine[]
  /** Where `lines` stands now, for reading only what comes after. */
  mark: () => number
  since: (mark: number) => LogLine[]
  /** Waits until a line matching `isWanted` is written, and returns it. */
  waitFor: (isWanted: (line: LogLine) => boolean, what: string) => Promise<LogLine>
}

/**
 * Makes the process's app logger — the one the server and Payload share, as in production —
 * write production JSON lines at `info` into memory. Call it before anything imports the Payload
 * config, which takes the process's logger when it loads.
 */
export const captureAppLogs = (): CapturedLogs => {
  const lines: LogLine[] = []
  const logger = getAppLogger(
    { ...getEnv(), isProduction: true, LOG_LEVEL: 'info' },
    { write: (chunk: string) => void lines.push(JSON.parse(chunk) as LogLine) },
  )
  return {
    logger,
    lines,
    mark: () => lines.length,
    since: (mark) => lines.slice(mark),
    waitFor: async (isWanted, what) => {
      for (let attempt = 0; attempt < 100; attempt++) {
        const line = lines.find(isWanted)
        if (line) return line
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
      throw new Error(`no log line ${what}`)
    },
  }
}

/** A request's own line (`msg: 'request'`), once it has been written. */
export const requestLine = (logs: CapturedLogs, reqId: string): Promise<LogLine> =>
  logs.waitFor((line) => line.msg === 'request' && line.reqId === reqId, `for request ${reqId}`)
