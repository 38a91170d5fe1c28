import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'

import type { TestContext } from './providedContext'

/** Runs a command to completion, failing with its output when it fails. */
export const runOrThrow = (command: string, args: string[], env: NodeJS.ProcessEnv): void => {
  const result = spawnSync(command, args, { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`,
    )
  }
}

const tryPort = (port: number): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      const { port: bound } = server.address() as net.AddressInfo
      server.close(() => resolve(bound))
    })
  })

/** A free port from the kernel's ephemeral range. */
export const getFreePort = (): Promise<number> => tryPort(0)

/**
 * A free port outside the ephemeral range (Linux: 32768–60999), for a server that a test stops and
 * starts again on the same port: a port from the ephemeral range could meanwhile be handed to
 * another process asking for "any free port", which would then receive this server's traffic.
 */
export const getRestartablePort = async (): Promise<number> => {
  for (let attempt = 0; attempt < 50; attempt++) {
    const candidate = 20_000 + Math.floor(Math.random() * 10_000)
    const port = await tryPort(candidate).catch(() => undefined)
    if (port) return port
  }
  throw new Error('no free port between 20000 and 30000')
}

export type RunningApp = {
  url: string
  pid: number
  output: () => string
  /** Sends SIGTERM and resolves with the exit code once the process has exited. */
  stop: () => Promise<number | null>
}

/** Whether `npm run build` has run: Next's build and the compiled server are both there. */
export const hasProductionBuild = (): boolean =>
  fs.existsSync('.next/BUILD_ID') && fs.existsSync('dist/server/main.js')

/** The production build, by the command operators run, so tests serve what production serves. */
export const buildForProduction = (env: NodeJS.ProcessEnv): void =>
  runOrThrow('npm', ['run', 'build'], env)

/**
 * How a server process starts: production as `npm start`, the systemd unit and the pm2 file do
 * (the server compiled by `npm run build`, one `node` process), development as `npm run dev` does
 * (the sources, through tsx).
 */
export const serverArgs = (isDev: boolean): string[] =>
  isDev ? ['--import', 'tsx', 'src/server/main.ts', '--dev'] : ['dist/server/main.js']

/**
 * Starts the production server exactly as production does, or the development server, and waits
 * until the admin answers, which also means Payload has booted and run its startup tasks.
 */
type StartAppArgs = {
  env: NodeJS.ProcessEnv
  port: number
  /** `npm run dev` instead of `npm start`. */
  isDev?: boolean
  /** Also append everything the server prints to this file, for tests that read its logs. */
  logFile?: string
}

export const startApp = async ({
  env,
  port,
  isDev = false,
  logFile,
}: StartAppArgs): Promise<RunningApp> => {
  const child: ChildProcess = spawn(process.execPath, serverArgs(isDev), {
    env: { ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  const record = (chunk: Buffer) => {
    output += chunk
    if (logFile) fs.appendFileSync(logFile, chunk)
  }
  child.stdout?.on('data', record)
  child.stderr?.on('data', record)
  const url = `http://127.0.0.1:${port}`
  // A first `next dev` compile of the admin takes a while on a small machine.
  const deadline = Date.now() + 180_000
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`the app exited with ${child.exitCode}:\n${output}`)
    const status = await fetch(`${url}/admin/login`)
      .then((response) => response.status)
      .catch(() => 0)
    if (status === 200) break
    if (Date.now() > deadline) {
      child.kill('SIGKILL')
      throw new Error(`the app did not answer within 180 s:\n${output}`)
    }
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  return {
    url,
    pid: child.pid as number,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null) return child.exitCode
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
      child.kill('SIGTERM')
      return exited
    },
  }
}

/**
 * The environment of one more production server beside the browser tests' app: the same database,
 * secret, bucket and bootstrap admin, so it behaves as another replica. `overrides` sets what the
 * test is about.
 */
export const replicaEnv = (
  context: TestContext,
  overrides: Record<string, string> = {},
): NodeJS.ProcessEnv => ({
  ...process.env,
  ...context.r2Env,
  NODE_ENV: 'production',
  DATABASE_URL: context.databaseUrl,
  PAYLOAD_SECRET: context.payloadSecret,
  MEDIA_DIR: context.mediaDir,
  ADMIN_EMAIL: context.adminEmail,
  ADMIN_PASSWORD: context.adminPassword,
  LOG_LEVEL: 'warn',
  ...overrides,
})
