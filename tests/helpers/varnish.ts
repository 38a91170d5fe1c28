import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'

import { makeSharedTempDir } from '../setup/testDatabase'

/** The VCL operators install; the tests run Varnish with this very file, its backend port changed. */
export const shippedVcl = path.resolve(import.meta.dirname, '../../docs/deploy/varnish/default.vcl')

/** Where Debian installs them: on root's PATH, not always on other users'. */
const varnishdPath = fs.existsSync('/usr/sbin/varnishd') ? '/usr/sbin/varnishd' : 'varnishd'
const shippedBackendPort = '.port = "3000";'
const shippedBackend = /backend default \{[^}]*\}/

/** Whether varnishd can be started here (Debian's `varnish`; `varnish-modules` for xkey). */
export const isVarnishInstalled = (): boolean =>
  spawnSync(varnishdPath, ['-V'], { stdio: 'ignore' }).status === 0

/**
 * The shipped VCL with its one backend on `ports`: several become a round-robin director, as its
 * comment tells operators to do for several replicas. Nothing else of it changes.
 */
const withBackends = (vcl: string, ports: readonly number[]): string => {
  if (!vcl.includes(shippedBackendPort) || !shippedBackend.test(vcl))
    throw new Error(`${shippedVcl} no longer names its backend port as ${shippedBackendPort}`)
  if (ports.length === 1) return vcl.replace(shippedBackendPort, `.port = "${ports[0]}";`)
  const backends = ports
    .map(
      (port, index) =>
        `backend replica${index} {\n    .host = "127.0.0.1";\n    .port = "${port}";\n}`,
    )
    .join('\n')
  const director = [
    'import directors;',
    'sub vcl_init {',
    '    new replicas = directors.round_robin();',
    ...ports.map((_, index) => `    replicas.add_backend(replica${index});`),
    '}',
    // Subroutines of one name run in order of definition: this one before the shipped one.
    'sub vcl_recv {',
    '    set req.backend_hint = replicas.backend();',
    '}',
  ].join('\n')
  return vcl.replace(shippedBackend, `${backends}\n${director}`)
}
const warmUpKey = 'varnishncsa-warm-up'

/** A PURGE request Varnish received: its `xkey-purge` keys (none for a purge by URL), path, status. */
export type VarnishPurge = { keys: string[]; path: string; status: number }

export type RunningVarnish = {
  url: string
  /** Every PURGE so far, from varnishncsa. */
  purges: () => VarnishPurge[]
  output: () => string
  stop: () => Promise<void>
}

const isListening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })

const stopChild = async (child: ChildProcess) => {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  const killer = setTimeout(() => child.kill('SIGKILL'), 10_000)
  await exited
  clearTimeout(killer)
}

const parsePurgeLine = (line: string): VarnishPurge => {
  const [keys, requestPath, status] = line.split('\t')
  return { keys: keys === '-' ? [] : keys.split(' '), path: requestPath, status: Number(status) }
}

/**
 * Debian's Varnish 7 with vmod xkey, in the foreground as a child process, running the shipped
 * VCL in front of the app on `backendPort` (several: round robin), on `port` (a free one: see
 * getRestartablePort), with its own working directory. varnishncsa records every PURGE it answers.
 */
export const startVarnish = async ({
  port,
  backendPort,
}: {
  port: number
  backendPort: number | readonly number[]
}): Promise<RunningVarnish> => {
  const dir = makeSharedTempDir('catalog-varnish-')
  const vcl = fs.readFileSync(shippedVcl, 'utf8')
  const vclFile = path.join(dir, 'default.vcl')
  fs.writeFileSync(vclFile, withBackends(vcl, [backendPort].flat()))
  let output = ''
  const varnishd = spawn(
    varnishdPath,
    [
      ...['-F', '-a', `127.0.0.1:${port}`, '-f', vclFile, '-n', path.join(dir, 'work')],
      ...['-s', 'malloc,64m', '-p', 'http_gzip_support=off'],
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  varnishd.stdout?.on('data', (chunk: Buffer) => (output += chunk))
  varnishd.stderr?.on('data', (chunk: Buffer) => (output += chunk))
  const deadline = Date.now() + 30_000
  while (!(await isListening(port))) {
    if (varnishd.exitCode !== null) throw new Error(`varnishd exited at start:\n${output}`)
    if (Date.now() > deadline) throw new Error(`varnishd did not listen within 30 s:\n${output}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  const purgeLines: string[] = []
  let pendingText = ''
  const ncsa = spawn(
    'varnishncsa',
    ['-n', path.join(dir, 'work'), '-q', 'ReqMethod eq "PURGE"', '-F', '%{xkey-purge}i\t%U\t%s'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  ncsa.stdout?.on('data', (chunk: Buffer) => {
    const lines = (pendingText + String(chunk)).split('\n')
    pendingText = lines.pop() ?? ''
    purgeLines.push(...lines)
  })
  ncsa.stderr?.on('data', (chunk: Buffer) => (output += chunk))
  // varnishncsa reads only what is logged once it is attached: purge a key nothing has until it
  // shows, so no purge of the test's goes unrecorded.
  while (purgeLines.length === 0) {
    if (Date.now() > deadline)
      throw new Error(`varnishncsa recorded nothing within 30 s:\n${output}`)
    await fetch(`http://127.0.0.1:${port}/`, {
      method: 'PURGE',
      headers: { 'xkey-purge': warmUpKey },
    })
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return {
    url: `http://127.0.0.1:${port}`,
    purges: () =>
      purgeLines.map(parsePurgeLine).filter((purge) => purge.keys.join(' ') !== warmUpKey),
    output: () => output,
    stop: async () => {
      await Promise.all([stopChild(ncsa), stopChild(varnishd)])
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}
