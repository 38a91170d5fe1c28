import { requestRaw as requestRawOf, type RawResponse } from '../../tests/helpers/rawHttp'

export type { RawResponse }

/** What browsers send: the cache answers them with its br encoding. */
export const browserAcceptEncoding = 'gzip, deflate, br, zstd'

type RawRequest = {
  method?: 'GET' | 'POST' | 'PATCH'
  headers?: Record<string, string>
  body?: string
}

/**
 * One request through node:http, which, unlike fetch, leaves the body as it was sent: the bytes a
 * bare server must send to compare like with like. A connection per request: the bench pauses
 * between steps for longer than a server keeps an idle connection.
 */
export const requestRaw = (url: string, request: RawRequest = {}): Promise<RawResponse> =>
  requestRawOf(url, { ...request, isFreshConnection: true })

/** A replica's Prometheus text from /api/metrics, with the bearer token when one is set. */
export const readMetricsText = async (appUrl: string, metricsToken?: string): Promise<string> => {
  const response = await fetch(`${appUrl}/api/metrics`, {
    headers: metricsToken ? { Authorization: `Bearer ${metricsToken}` } : {},
  })
  if (response.status !== 200) throw new Error(`/api/metrics answered ${response.status}`)
  return response.text()
}
