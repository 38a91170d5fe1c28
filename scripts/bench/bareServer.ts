import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

import { getFreePort } from '../../tests/setup/appServer'

export type BareServer = { url: string; pid: number; stop: () => void }

type StartBareServerArgs = {
  /** Where the body is written for the server process to read. */
  workDir: string
  name: string
  body: Buffer
  /** Lower-case names, sent with every 200. */
  headers: Record<string, string>
  /**
   * Lower-case names, sent with a 304 to a request whose If-None-Match is their `etag`.
   * @default none: every request gets the 200
   */
  notModifiedHeaders?: Record<string, string>
}

/**
 * A bare Node http server in a process of its own (so its CPU time is its own) that sends `body`
 * with `headers` to every request: the ceiling for the same bytes on this machine.
 */
export const startBareServer = async ({
  workDir,
  name,
  body,
  headers,
  notModifiedHeaders,
}: StartBareServerArgs): Promise<BareServer> => {
  const bodyFile = path.join(workDir, `${name}.body`)
  fs.writeFileSync(bodyFile, body)
  const port = await getFreePort()
  const server = spawn(
    process.execPath,
    [
      '-e',
      `const body = require('fs').readFileSync(${JSON.stringify(bodyFile)});
       const headers = ${JSON.stringify(headers)};
       const notModified = ${JSON.stringify(notModifiedHeaders ?? null)};
       require('http').createServer((req, res) => {
         if (notModified && req.headers['if-none-match'] === notModified.etag) {
           res.writeHead(304, notModified);
           return res.end();
         }
         res.writeHead(200, { ...headers, 'Content-Length': body.length });
         res.end(body)
       }).listen(${port}, '127.0.0.1', () => console.log('ready'))`,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  )
  await new Promise((resolve) => server.stdout?.once('data', resolve))
  return { url: `http://127.0.0.1:${port}/`, pid: server.pid as number, stop: () => server.kill() }
}
