import http from 'node:http'
import type { AddressInfo } from 'node:net'

import { afterEach, describe, expect, it } from 'vitest'

import type { ReadinessChecks, ReadinessReport } from './observability/readiness'
import { createDrain } from './gracefulShutdown'

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
