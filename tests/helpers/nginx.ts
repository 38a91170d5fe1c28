import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'

import { getFreePort } from '../setup/appServer'
import { makeSharedTempDir } from '../setup/testDatabase'
import { waitUntil } from './waitUntil'

/** The snippets operators install; the tests run nginx with the same files. */
const deployDir = path.resolve(import.meta.dirname, '../../docs/deploy/nginx')
const proxySnippet = path.join(deployDir, 'catalog-cms-proxy.conf')
const errorsSnippet = path.join(deployDir, 'catalog-cms-errors.conf')

export type Upstream = { port: number; isDown?: boolean }

export type RunningNginx = {
  url: string
  /** Rewrites the upstream list and reloads; resolves once workers with the new list run. */
  setUpstreams: (upstreams: Upstream[]) => Promise<void>
  /** Access log lines: `<epoch ms> <status> <upstream addresses> <method> <uri>`. */
  accessLog: () => string[]
  errorLog: () => string
  stop: () => Promise<void>
}

const upstreamBlock = (upstreams: Upstream[]) =>
  [
    'upstream catalog_cms {',
    ...upstreams.map(
      ({ port, isDown }) =>
        `    server 127.0.0.1:${port} max_fails=1 fail_timeout=5s${isDown ? ' down' : ''};`,
    ),
    '    keepalive 16;',
    '    keepalive_timeout 4s;',
    '}',
    '',
  ].join('\n')

/** Worker processes of an nginx master, from /proc. */
const workerPids = (masterPid: number): number[] =>
  fs
    .readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        // The parent pid is the 2nd field after the parenthesised command name.
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8')
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === masterPid
      } catch {
        return false
      }
    })
    .map(Number)

const waitFor = (what: string, isDone: () => boolean) =>
  waitUntil(`nginx: ${what}`, isDone, { timeoutMs: 30_000, intervalMs: 50 })

/**
 * Debian's nginx as a child process (not a daemon), with a generated configuration in a temporary
 * directory, listening on a free loopback port and balancing over the given replicas.
 */
export const startNginx = async (upstreams: Upstream[]): Promise<RunningNginx> => {
  const dir = makeSharedTempDir('catalog-nginx-')
  // Workers run as an unprivileged user when the tests run as root: let them write temp files.
  fs.chmodSync(dir, 0o777)
  const port = await getFreePort()
  const upstreamFile = path.join(dir, 'upstreams.conf')
  const accessLogFile = path.join(dir, 'access.log')
  const errorLogFile = path.join(dir, 'error.log')
  fs.writeFileSync(upstreamFile, upstreamBlock(upstreams))
  fs.writeFileSync(accessLogFile, '')
  const configFile = path.join(dir, 'nginx.conf')
  fs.writeFileSync(
    configFile,
    `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${errorLogFile} notice;
events { worker_connections 1024; }
http {
    log_format upstreams '$msec $status $upstream_addr $request_method $request_uri';
    access_log ${accessLogFile} upstreams;
    client_body_temp_path ${dir}/client_body;
    proxy_temp_path ${dir}/proxy;
    fastcgi_temp_path ${dir}/fastcgi;
    uwsgi_temp_path ${dir}/uwsgi;
    scgi_temp_path ${dir}/scgi;
    include ${upstreamFile};
    server {
        listen 127.0.0.1:${port};
        include ${errorsSnippet};
        location / {
            include ${proxySnippet};
            proxy_pass http://catalog_cms;
        }
    }
}
`,
  )
  const child = spawn('nginx', ['-p', dir, '-c', configFile, '-e', errorLogFile], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk))
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk))
  const masterPid = child.pid as number
  const errorLog = () =>
    `${output}${fs.existsSync(errorLogFile) ? fs.readFileSync(errorLogFile, 'utf8') : ''}`
  await waitFor('start', () => {
    if (child.exitCode !== null) throw new Error(`nginx exited at start:\n${errorLog()}`)
    return workerPids(masterPid).length > 0
  })

  return {
    url: `http://127.0.0.1:${port}`,
    setUpstreams: async (next) => {
      const oldWorkers = workerPids(masterPid)
      fs.writeFileSync(upstreamFile, upstreamBlock(next))
      process.kill(masterPid, 'SIGHUP')
      // As `nginx -s reload` then returns: new workers take new connections with the new list,
      // while the old ones may still be finishing (and proxying) the requests they had accepted.
      await waitFor('reload', () =>
        workerPids(masterPid).some((pid) => !oldWorkers.includes(pid)),
      ).catch((error: Error) => {
        throw new Error(`${error.message}\n${errorLog()}`)
      })
    },
    accessLog: () =>
      fs
        .readFileSync(accessLogFile, 'utf8')
        .split('\n')
        .filter((line) => line !== ''),
    errorLog,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve))
        child.kill('SIGQUIT')
        await exited
      }
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}
