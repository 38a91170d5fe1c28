/**
 * `npm run smoke:dev`: what a newcomer gets from `npm run dev` on a machine with nothing
 * configured. Starts the dev server with no DATABASE_URL, no secret and a fresh data directory,
 * checks that the embedded PostgreSQL came up, was migrated and seeded, and that the admin and
 * APIs answer; then stops it and checks that the embedded PostgreSQL stopped too.
 */
import fs from 'node:fs'
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
} catch (error) {
  await app.stop()
  fail((error as Error).message, app.output())
}

const exitCode = await app.stop()
if (exitCode !== 0) fail(`the dev server exited with ${exitCode}`, app.output())
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
