import http from 'node:http'
import https from 'node:https'

import { httpCacheMaxKeyBytes } from '../defaults'
import { chunkByBytes, chunkByCount } from '../utilities/chunks'
import { describeNetworkError, outcomeOfStatus } from '../utilities/callResults'
import type { CallResult, PurgeCall, PurgeTransport } from '../utilities/purgeQueue'
import { parseRetryAfter } from '../utilities/retry'

type PurgeAnswer = { status: number; retryAfter?: string }

/** One `PURGE` request; its answer's body is read and dropped. */
const sendPurge = (
  url: URL,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<PurgeAnswer> =>
  new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http
    const request = client.request(
      url,
      { method: 'PURGE', headers, timeout: timeoutMs },
      (response) => {
        response.resume()
        response.once('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            retryAfter: response.headers['retry-after'],
          }),
        )
        response.once('error', reject)
      },
    )
    request.once('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)))
    request.once('error', reject)
    request.end()
  })

/**
 * An HTTP cache you run (Varnish with vmod xkey, see docs/deploy/varnish/default.vcl): keys go
 * as `PURGE /` with an `xkey-purge` header of space-separated keys; a deleted file as `PURGE`
 * of its path with its URL's `Host`, which is how the cache knows it. Failures name the cache by
 * host and port only (the base URL may carry credentials).
 */
export const createHttpCacheTransport = ({
  baseUrl,
  requestTimeoutMs,
}: {
  baseUrl: string
  requestTimeoutMs: number
}): PurgeTransport => {
  const base = new URL(baseUrl)
  const send = async (call: PurgeCall): Promise<CallResult> => {
    const target = call.keys ? undefined : new URL(call.files[0])
    const url = target ? new URL(`${target.pathname}${target.search}`, base) : new URL('/', base)
    const headers: Record<string, string> = target
      ? { host: target.host }
      : { 'xkey-purge': (call.keys ?? []).join(' ') }
    try {
      const answer = await sendPurge(url, headers, requestTimeoutMs)
      const outcome = outcomeOfStatus(answer.status)
      if (outcome === 'success') return { outcome, status: answer.status }
      return {
        outcome,
        status: answer.status,
        retryAfterMs: parseRetryAfter(answer.retryAfter),
        detail: `HTTP ${answer.status} from ${base.host}`,
      }
    } catch (error) {
      return { outcome: 'network_error', detail: `${base.host}: ${describeNetworkError(error)}` }
    }
  }
  return {
    name: 'http',
    chunkKeys: (keys) => chunkByBytes(keys, httpCacheMaxKeyBytes),
    // One URL per PURGE: that is how HTTP caches purge by URL.
    chunkFiles: (files) => chunkByCount(files, 1),
    send,
  }
}
