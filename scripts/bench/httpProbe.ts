import http from 'node:http'

/** What browsers send: the cache answers them with its br encoding. */
export const browserAcceptEncoding = 'gzip, deflate, br, zstd'

export type RawResponse = {
  status: number
  headers: http.IncomingHttpHeaders
  /** The bytes as sent: still compressed when the answer has a Content-Encoding. */
  body: Buffer
}

type RawRequest = {
  method?: 'GET' | 'POST' | 'PATCH'
  headers?: Record<string, string>
  body?: string
}

/**
 * One request through node:http, which, unlike fetch, leaves the body as it was sent: the bytes a
 * bare server must send to compare like with like.
 */
export const requestRaw = (
  url: string,
  { method = 'GET', headers = {}, body }: RawRequest = {},
): Promise<RawResponse> =>
  new Promise((resolve, reject) => {
    // A connection per request: a kept-alive one the server closes while idle (5 s) would fail
    // the next probe after a long step with "socket hang up".
    const request = http.request(url, { method, headers, agent: false }, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('error', reject)
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks),
        }),
      )
    })
    request.on('error', reject)
    request.end(body)
  })

/** A replica's Prometheus text from /api/metrics, with the bearer token when one is set. */
export const readMetricsText = async (appUrl: string, metricsToken?: string): Promise<string> => {
  const response = await fetch(`${appUrl}/api/metrics`, {
    headers: metricsToken ? { Authorization: `Bearer ${metricsToken}` } : {},
  })
  if (response.status !== 200) throw new Error(`/api/metrics answered ${response.status}`)
  return response.text()
}
