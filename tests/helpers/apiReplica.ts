import { spawn } from 'node:child_process'

import { appConfigNodeOptions } from '../../src/jobs/payloadCli'

export type ReplicaProcess = {
  url: string
  /** Everything the process printed so far (its log lines at LOG_LEVEL), for checks and failures. */
  output: () => string
  /** SIGTERM, then SIGKILL if it has not exited within a few seconds; resolves once it exited. */
  stop: () => Promise<void>
}

const startTimeoutMs = 90_000
const stopTimeoutMs = 10_000

/**
 * Starts another replica of the app in a child process (tests/fixtures/apiReplica.ts): its own
 * Payload instance, response cache and LISTEN connection, on the same database and with the same
 * environment as the test, plus `env`. Resolves with its URL once it answers.
 */
export const startReplicaProcess = ({
  env = {},
}: { env?: Record<string, string> } = {}): Promise<ReplicaProcess> => {
  const child = spawn(
    process.execPath,
    [...appConfigNodeOptions, '--import', 'tsx', 'tests/fixtures/apiReplica.ts'],
    // Its stdin stays open: the replica stops by itself when it closes, should this process die.
    { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] },
  )
  let output = ''
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return
    child.kill('SIGTERM')
    const killer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs)
    await exited
    clearTimeout(killer)
  }
  return new Promise((resolve, reject) => {
    let isSettled = false
    const fail = (reason: string) => {
      if (isSettled) return
      isSettled = true
      clearTimeout(timer)
      void stop()
      reject(new Error(`the replica process ${reason}:\n${output}`))
    }
    const timer = setTimeout(
      () => fail(`did not start within ${startTimeoutMs / 1000} s`),
      startTimeoutMs,
    )
    child.stderr.on('data', (chunk: Buffer) => (output += chunk))
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk
      const announced = /^\{"url":"([^"]+)"\}$/m.exec(output)
      if (!announced || isSettled) return
      isSettled = true
      clearTimeout(timer)
      resolve({ url: announced[1], output: () => output, stop })
    })
    child.once('exit', (code, signal) => fail(`exited (${signal ?? code}) before it answered`))
  })
}
