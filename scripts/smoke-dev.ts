/**
 * `npm run smoke:dev`: what a newcomer gets from `npm run dev` on a machine with nothing
 * configured. Starts the dev server with no DATABASE_URL, no secret and a fresh data directory,
 * checks that the embedded PostgreSQL came up, was migrated and seeded, and that the admin and
 * APIs answer; then, with the hot-reloading websocket of a browser tab open, stops it and checks
 * that it stopped quietly and that the embedded PostgreSQL stopped too.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import http from 'node:http'
import type { Socket } from 'node:net'
import path from 'node:path'

import { getFreePort, startApp } from '../tests/setup/appServer'
import { makeSharedTempDir } from '../tests/setup/testDatabase'

const dataDir = makeSharedTempDir('catalog-smoke-')
const env: NodeJS.ProcessEnv = { ...process.env, LOCAL_DATA_DIR: dataDir, NODE_ENV: 'development' }
for (const name of [
  'DATABASE_URL',
  'PAYLOAD_SECRET',
  'ADMIN_EMAIL',
  'ADMIN_PASSWORD',
  'MEDIA_DIR',
]) {
  delete env[name]
}
env.EMBEDDED_POSTGRES_PORT = String(await getFreePort())

const fail = (message: string, output = ''): never => {
  console.error(`smoke:dev FAILED: ${message}\n${output}`)
  process.exit(1)
}

/** What an open admin tab keeps in development: Next's hot-reloading websocket. */
const openHotReloadSocket = (baseUrl: string) =>
  new Promise<Socket>((resolve, reject) => {
    http
      .request(`${baseUrl}/_next/hmr`, {
        headers: {
          Connection: 'Upgrade',
          Upgrade: 'websocket',
          'Sec-WebSocket-Key': crypto.randomBytes(16).toString('base64'),
          'Sec-WebSocket-Version': '13',
        },
      })
      .on('upgrade', (_response, socket: Socket) => {
        // The server ends it on shutdown; that is expected, not an error of this script.
        socket.on('error', () => undefined)
        resolve(socket)
      })
      .on('response', (response) =>
        reject(new Error(`the hot-reloading websocket was refused with ${response.statusCode}`)),
      )
      .on('error', reject)
      .end()
  })

const startedAt = Date.now()
const app = await startApp({ env, port: await getFreePort(), isDev: true })
const adminReadyMs = Date.now() - startedAt
try {
  const items = (await (await fetch(`${app.url}/api/items?limit=1`)).json()) as {
    totalDocs: number
  }
  if (!(items.totalDocs > 0)) fail('the sample catalog was not seeded', app.output())
  const graphql = await fetch(`${app.url}/api/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ Categories { totalDocs } }' }),
  })
  if (graphql.status !== 200) fail(`GraphQL answered ${graphql.status}`, app.output())
  const home = await fetch(`${app.url}/`)
  if (home.status !== 200) fail(`the catalog page answered ${home.status}`, app.output())
  if (!fs.existsSync(path.join(dataDir, 'payload-secret')))
    fail('no development secret was generated')
  await openHotReloadSocket(app.url)
} catch (error) {
  await app.stop()
  fail((error as Error).message, app.output())
}

const exitCode = await app.stop()
if (exitCode !== 0) fail(`the dev server exited with ${exitCode}`, app.output())
// Regression: every stop warned that requests were still open, about the websocket alone.
if (/still open/i.test(app.output())) {
  fail('stopping the dev server reported open requests; none was in progress', app.output())
}
if (fs.existsSync(path.join(dataDir, 'postgres', 'postmaster.pid'))) {
  fail('the embedded PostgreSQL is still running after the dev server stopped', app.output())
}
fs.rmSync(dataDir, { recursive: true, force: true })
console.log(
  JSON.stringify({
    msg: 'smoke:dev passed',
    firstAdminResponseMs: adminReadyMs,
    seededItems: true,
  }),
)
