import http from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

import pino from 'pino'
import { afterEach, describe, expect, it } from 'vitest'

import type { ReadinessChecks, ReadinessReport } from './observability/readiness'
import { createDrain, finishRequestsAndClose } from './gracefulShutdown'

const healthyReport: ReadinessReport = {
  status: 'ok',
  checks: {
    database: { status: 'ok', ms: 1 },
    storage: { status: 'ok', ms: 1, backend: 'local' },
  },
}

const healthyReadiness = (): ReadinessChecks => ({
  check: async () => healthyReport,
  readConnectionStats: async () => ({ byState: {}, maxConnections: 100 }),
  close: async () => undefined,
})

describe('createDrain: readiness', () => {
  it('should pass the checks through until draining starts', async () => {
    const { readiness } = createDrain(healthyReadiness())
    expect(await readiness.check()).toEqual(healthyReport)
  })

  it('should report unavailable, saying why, once draining, with the checks still shown', async () => {
    const { readiness, start } = createDrain(healthyReadiness())
    start()
    expect(await readiness.check()).toEqual({
      ...healthyReport,
      status: 'unavailable',
      reason: 'shutting down',
    })
  })
})

describe('createDrain: connections', () => {
  const agent = new http.Agent({ keepAlive: true })
  let server: http.Server

  afterEach(async () => {
    agent.destroy()
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })

  /** Resolves with the response's Connection header. */
  const get = (port: number, path = '/') =>
    new Promise<string | undefined>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, agent, path }, (response) => {
          response.resume()
          response.on('end', () => resolve(response.headers.connection))
        })
        .on('error', reject)
    })

  it('should end the connection of responses in progress and of new ones once draining', async () => {
    let releaseSlowResponse = () => undefined as void
    let onRequestArrived = () => undefined as void
    const arrived = new Promise<void>((resolve) => (onRequestArrived = resolve))
    server = http.createServer((req, res) => {
      if (req.url === '/') return res.end('fast')
      onRequestArrived()
      releaseSlowResponse = () => res.end('slow')
    })
    const drain = createDrain(healthyReadiness())
    drain.trackConnections(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address() as AddressInfo

    expect(await get(port)).toBe('keep-alive')
    const slow = get(port, '/slow')
    await arrived
    drain.start()
    releaseSlowResponse()
    expect(await slow).toBe('close')
    expect(await get(port)).toBe('close')
  })
})

describe('finishRequestsAndClose', () => {
  let server: http.Server
  const agent = new http.Agent({ keepAlive: true })

  afterEach(() => {
    agent.destroy()
    server.closeAllConnections()
  })

  /** A logger whose lines the test reads, at every level. */
  const capturingLogger = () => {
    const lines: { level: number; msg: string }[] = []
    const logger = pino(
      { level: 'trace' },
      { write: (line: string) => lines.push(JSON.parse(line)) },
    )
    return { logger, warnings: () => lines.filter((line) => line.level >= 40) }
  }

  /** A server that keeps upgraded sockets open, as `next dev` keeps its hot-reloading websockets. */
  const startServer = async (onRequest: http.RequestListener) => {
    server = http.createServer(onRequest)
    server.on('upgrade', (_req, socket: Socket) => {
      socket.write(
        'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n',
      )
    })
    const drain = createDrain(healthyReadiness())
    drain.trackConnections(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return { drain, port: (server.address() as AddressInfo).port }
  }

  const openWebsocket = (port: number) =>
    new Promise<Socket>((resolve, reject) => {
      http
        .request({
          host: '127.0.0.1',
          port,
          path: '/_next/hmr',
          headers: { Connection: 'Upgrade', Upgrade: 'websocket' },
        })
        .on('upgrade', (_response, socket) => resolve(socket))
        .on('error', reject)
        .end()
    })

  const fetchKeepingAlive = (port: number) =>
    new Promise<void>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, agent }, (response) => {
          response.resume()
          response.on('end', resolve)
        })
        .on('error', reject)
    })

  // Regression: every stop of `npm run dev` warned "Requests still open" about its HMR websocket.
  it('should close websockets and idle keep-alive connections without a warning: they carry no request', async () => {
    const { drain, port } = await startServer((_req, res) => res.end('done'))
    await fetchKeepingAlive(port)
    const websocket = await openWebsocket(port)
    const websocketClosed = new Promise((resolve) => websocket.once('close', resolve))
    const serverClosed = new Promise((resolve) => server.once('close', resolve))
    const { logger, warnings } = capturingLogger()

    await finishRequestsAndClose({ server, drain, logger, graceMs: 1_000 })

    await websocketClosed
    await serverClosed
    expect(drain.countRequestsInProgress()).toBe(0)
    expect(warnings()).toEqual([])
  })

  it('should warn about a request still in progress after the grace period, and end its connection', async () => {
    let onRequestArrived = () => undefined as void
    const arrived = new Promise<void>((resolve) => (onRequestArrived = resolve))
    // Never answers, like a request stuck on a slow dependency.
    const { drain, port } = await startServer(() => onRequestArrived())
    await openWebsocket(port)
    const stuck = new Promise<Error>((resolve) => {
      http.get({ host: '127.0.0.1', port, path: '/stuck' }).on('error', resolve)
    })
    await arrived
    const { logger, warnings } = capturingLogger()

    await finishRequestsAndClose({ server, drain, logger, graceMs: 50 })

    expect(warnings().map((line) => line.msg)).toEqual([
      '1 request(s) still open after 50 ms; closing their connections',
    ])
    expect((await stuck).message).toMatch(/socket hang up|ECONNRESET/)
  })
})
