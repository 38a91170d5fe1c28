import { format } from 'node:util'

import type { Logger } from 'pino'

/**
 * Sends console output (Next.js prints its own start-up and warning lines with console) through
 * the app logger, so a production log stream holds nothing but JSON lines, redacted like the rest.
 */
export const routeConsoleToLogger = (logger: Logger): void => {
  const forward =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...args: unknown[]) => {
      // Strip terminal colours and decorations meant for people at a terminal.
      const msg = format(...args)
        .replace(/\u001b\[[0-9;]*m/g, '')
        .trim()
      if (msg) logger[level]({ msg })
    }
  console.log = forward('info')
  console.info = forward('info')
  console.debug = forward('debug')
  console.warn = forward('warn')
  console.error = forward('error')
}
