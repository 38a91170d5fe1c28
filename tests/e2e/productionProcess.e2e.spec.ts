import fs from 'node:fs'
import { createRequire } from 'node:module'

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'

import { getFreePort, replicaEnv, startApp, type RunningApp } from '../setup/appServer'
import '../setup/providedContext'

/**
 * A production replica is one `node` process running the server `npm run build` compiled: no
 * npm, no tsx loader, no esbuild service — and `npm start`, the systemd unit and the pm2 file all
 * start it that way.
 */
const context = inject('testContext')
const compiledServer = 'dist/server/main.js'
let replica: RunningApp

type ProcessInfo = { pid: number; parentPid: number; commandLine: string[] }

const readProcess = (pid: number): ProcessInfo | undefined => {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
    // The parent pid is the 2nd field after the parenthesised command name.
    const parentPid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
    const commandLine = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean)
    return { pid, parentPid, commandLine }
  } catch {
    // Gone between listing and reading.
    return undefined
  }
}

/** Every process below `pid`, children and their children. */
const descendantsOf = (pid: number): ProcessInfo[] => {
  const processes = fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map((entry) => readProcess(Number(entry)))
    .filter((info): info is ProcessInfo => info !== undefined)
  const below = (parentPid: number): ProcessInfo[] =>
    processes
      .filter((info) => info.parentPid === parentPid)
      .flatMap((child) => [child, ...below(child.pid)])
  return below(pid)
}

const nodeOptionsOf = (pid: number): string =>
  fs
    .readFileSync(`/proc/${pid}/environ`, 'utf8')
    .split('\0')
    .find((entry) => entry.startsWith('NODE_OPTIONS='))
    ?.slice('NODE_OPTIONS='.length) ?? ''

beforeAll(async () => {
  replica = await startApp({ env: replicaEnv(context), port: await getFreePort() })
  // Serve something through Payload and the catalog's fast path first: whatever a replica starts
  // on demand would have started by now.
  expect((await fetch(`${replica.url}/api/catalog`)).status).toBe(200)
  expect((await fetch(`${replica.url}/api/items?limit=1`)).status).toBe(200)
})

afterAll(async () => {
  if (replica) expect(await replica.stop()).toBe(0)
})

describe('a production replica', () => {
  it('should be a single node process running the compiled server', () => {
    const server = readProcess(replica.pid)
    // No flags: no loader (`--import tsx`) or preloaded module runs before the compiled server.
    expect(server?.commandLine).toEqual([process.execPath, compiledServer])
    expect(nodeOptionsOf(replica.pid)).not.toMatch(/--(import|require|loader|experimental-loader)/)
    expect(descendantsOf(replica.pid).map((child) => child.commandLine.join(' '))).toEqual([])
  })

  it('should be started the same way by npm start, the systemd unit and the pm2 file', () => {
    const packageJson = JSON.parse(fs.readFileSync('package.json', 'utf8')) as {
      scripts: Record<string, string>
    }
    expect(packageJson.scripts.start).toBe(`node ${compiledServer}`)

    const unit = fs.readFileSync('docs/deploy/catalog-cms@.service', 'utf8')
    const execStart = /^ExecStart=(.+)$/m.exec(unit)?.[1]
    expect(execStart).toMatch(/^\S*\/node /)
    expect(execStart?.replace(/^\S+ /, '')).toBe(compiledServer)

    const pm2 = createRequire(import.meta.url)('../../docs/deploy/ecosystem.config.cjs') as {
      apps: { script: string; interpreter?: string; interpreter_args?: string }[]
    }
    for (const app of pm2.apps) {
      expect(app.script).toBe(compiledServer)
      expect(app.interpreter ?? 'node').toBe('node')
      expect(app.interpreter_args ?? '').toBe('')
    }
  })
})
