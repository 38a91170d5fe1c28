import {
  cloudflareMaxItemsPerCall,
  defaultCloudflareApiBase,
  defaultCloudflareBurst,
  defaultCloudflareRequestsPerSecond,
} from '../defaults'
import type { CloudflareTargetOptions } from '../types'
import { chunkByCount } from '../utilities/chunks'
import { describeNetworkError, outcomeOfStatus, redactSecret } from '../utilities/callResults'
import type { CallResult, PurgeCall, PurgeTransport } from '../utilities/purgeQueue'
import { parseRetryAfter } from '../utilities/retry'
import { createTokenBucket } from '../utilities/tokenBucket'

type CloudflareAnswer = { success?: unknown; errors?: unknown }

const parseAnswer = (text: string): CloudflareAnswer | undefined => {
  try {
    const value: unknown = JSON.parse(text)
    return value && typeof value === 'object' ? (value as CloudflareAnswer) : undefined
  } catch {
    return undefined
  }
}

/** Cloudflare's error codes and messages (`{"errors": [{"code": 1012, "message": "…"}]}`). */
const describeErrors = (answer: CloudflareAnswer | undefined): string | undefined => {
  if (!Array.isArray(answer?.errors) || answer.errors.length === 0) return undefined
  return answer.errors
    .map(
      (error: { code?: unknown; message?: unknown }) =>
        `${String(error?.code)}: ${String(error?.message)}`,
    )
    .join('; ')
    .slice(0, 500)
}

type CloudflareTransportArgs = {
  options: CloudflareTargetOptions
  requestTimeoutMs: number
  /** @default globalThis.fetch */
  fetch?: typeof fetch
}

/**
 * Cloudflare's purge API for one zone: `POST {apiBase}/zones/{zoneId}/purge_cache` with
 * `{"tags": […]}` or `{"files": […]}`, at most 100 per call, within the configured rate. Never
 * `purge_everything`. The token goes into the Authorization header and nowhere else; a failure
 * is described by Cloudflare's error codes and messages, with the token cut out should an answer
 * ever contain it.
 */
export const createCloudflareTransport = ({
  options,
  requestTimeoutMs,
  fetch = globalThis.fetch,
}: CloudflareTransportArgs): PurgeTransport => {
  const apiBase = (options.apiBase ?? defaultCloudflareApiBase).replace(/\/+$/, '')
  const endpoint = `${apiBase}/zones/${encodeURIComponent(options.zoneId)}/purge_cache`
  const redact = (text: string) => redactSecret(text, options.apiToken)

  const send = async (call: PurgeCall): Promise<CallResult> => {
    try {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${options.apiToken}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify(call.keys ? { tags: call.keys } : { files: call.files }),
        signal: AbortSignal.timeout(requestTimeoutMs),
      })
      const answer = parseAnswer(await response.text())
      const outcome = outcomeOfStatus(response.status)
      // Cloudflare answers every call with `success`; a 2xx saying false purged nothing.
      if (outcome === 'success' && answer?.success !== false)
        return { outcome, status: response.status }
      return {
        outcome: outcome === 'success' ? 'client_error' : outcome,
        status: response.status,
        retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
        detail: redact(describeErrors(answer) ?? `HTTP ${response.status}`),
      }
    } catch (error) {
      return { outcome: 'network_error', detail: redact(describeNetworkError(error)) }
    }
  }

  return {
    name: 'cloudflare',
    chunkKeys: (keys) => chunkByCount(keys, cloudflareMaxItemsPerCall),
    chunkFiles: (files) => chunkByCount(files, cloudflareMaxItemsPerCall),
    send,
    rateLimit: createTokenBucket({
      ratePerSecond: options.maxRequestsPerSecond ?? defaultCloudflareRequestsPerSecond,
      burst: options.burst ?? defaultCloudflareBurst,
    }),
  }
}
