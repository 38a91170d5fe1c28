import fs from 'node:fs'

import autocannon from 'autocannon'

/** CPU time (user + system) a process has used so far, in microseconds, from /proc. */
export const readProcessCpuMicros = (pid: number): number => {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  // Fields 14 and 15 of stat (utime, stime), in clock ticks of 1/100 s on Linux.
  const ticks = Number(fields[11]) + Number(fields[12])
  return ticks * 10_000
}

/** Resident memory of a process in megabytes, from /proc. */
export const readResidentMegabytes = (pid: number): number => {
  const line = fs
    .readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('VmRSS:'))
  return Number(line?.match(/(\d+)/)?.[1] ?? 0) / 1024
}

/**
 * Resolves once a process has been idle (under a tenth of a core) for two intervals in a row: a
 * server keeps working on requests the load generator has stopped waiting for (a slow Payload
 * read under 50 connections holds seconds of them), which would otherwise weigh on the next case.
 */
export const waitUntilIdle = async (pid: number, intervalMs = 250, timeoutMs = 120_000) => {
  const deadline = performance.now() + timeoutMs
  let idleIntervals = 0
  while (idleIntervals < 2 && performance.now() < deadline) {
    const before = readProcessCpuMicros(pid)
    await new Promise((resolve) => setTimeout(resolve, intervalMs))
    const busyShare = (readProcessCpuMicros(pid) - before) / (intervalMs * 1000)
    idleIntervals = busyShare < 0.1 ? idleIntervals + 1 : 0
  }
}

export type LoadResult = {
  requestsPerSecond: number
  p50Ms: number
  p99Ms: number
  requests: number
  errors: number
  unexpectedStatus: number
  cpuMicrosPerRequest: number
}

type LoadArgs = {
  url: string
  serverPid: number
  connections: number
  durationSeconds: number
  method?: 'GET' | 'POST'
  headers?: Record<string, string>
  body?: string
  /** Status every response should have (304 for conditional requests). */
  expectedStatus?: number
}

/**
 * A warm-up, then a measured autocannon run against `url`, with the server process's CPU time
 * per request over the measured run; each begins and the case ends with the server idle.
 */
export const runLoad = async ({
  url,
  serverPid,
  connections,
  durationSeconds,
  method = 'GET',
  headers = {},
  body,
  expectedStatus = 200,
}: LoadArgs): Promise<LoadResult> => {
  // Stock REST pages take ~0.1 s of CPU each: with 50 connections queued, 10 s (the default)
  // would count slow answers as failures.
  const options = { url, connections, method, headers, body, timeout: 60 }
  await autocannon({ ...options, duration: Math.max(1, Math.round(durationSeconds / 4)) })
  await waitUntilIdle(serverPid)
  let unexpectedStatus = 0
  const cpuBefore = readProcessCpuMicros(serverPid)
  const result = await autocannon({
    ...options,
    duration: durationSeconds,
    expectBody: undefined,
    setupClient: (client) => {
      client.on('response', (statusCode: number) => {
        if (statusCode !== expectedStatus) unexpectedStatus += 1
      })
    },
  })
  const cpuMicros = readProcessCpuMicros(serverPid) - cpuBefore
  await waitUntilIdle(serverPid)
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    unexpectedStatus,
    cpuMicrosPerRequest: result.requests.total > 0 ? cpuMicros / result.requests.total : Number.NaN,
  }
}
