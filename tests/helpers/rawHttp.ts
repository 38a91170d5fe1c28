import http from 'node:http'
import zlib from 'node:zlib'

export type RawResponse = {
  status: number
  headers: http.IncomingHttpHeaders
  /** The bytes on the wire, encodings not undone. */
  body: Buffer
}

/**
 * One request as a browser sends it, answered with the bytes as they came: unlike fetch(), which
 * undoes one Content-Encoding silently, this shows a body encoded twice for what it is.
 * `isFreshConnection`: a connection of its own, for callers that pause for longer than a server
 * keeps an idle connection (5 s): a kept-alive one it closed meanwhile fails with "socket hang up".
 */
export const requestRaw = (
  url: string,
  {
    method = 'GET',
    headers = {},
    body,
    isFreshConnection = false,
  }: {
    method?: string
    headers?: Record<string, string>
    body?: string | Buffer
    isFreshConnection?: boolean
  } = {},
): Promise<RawResponse> =>
  new Promise((resolve, reject) => {
    const options = { method, headers, ...(isFreshConnection ? { agent: false } : {}) }
    const request = http.request(url, options, (response) => {
      const chunks: Buffer[] = []
      response.on('data', (chunk: Buffer) => chunks.push(chunk))
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks),
        }),
      )
      response.on('error', reject)
    })
    request.on('error', reject)
    request.end(body)
  })

const decoders: Record<string, (body: Buffer) => Buffer> = {
  br: (body) => zlib.brotliDecompressSync(body),
  gzip: (body) => zlib.gunzipSync(body),
  deflate: (body) => zlib.inflateSync(body),
}

/**
 * What a client reads: the body with each listed Content-Encoding undone, once, as a browser does.
 * Throws on an encoding no browser decodes.
 */
export const decodeBody = ({ headers, body }: RawResponse): Buffer => {
  const encodings = (headers['content-encoding'] ?? '')
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity')
  return encodings.reduceRight((bytes, coding) => {
    const decode = decoders[coding]
    if (!decode) throw new Error(`no browser decodes Content-Encoding ${coding}`)
    return decode(bytes)
  }, body)
}

/** Accept-Encoding values a client may send: browsers', tools', q-values, wildcards and none. */
export const acceptEncodingVariants: (string | undefined)[] = [
  'gzip, deflate, br, zstd',
  'br',
  'gzip',
  'deflate',
  'zstd',
  'identity',
  '*',
  'gzip;q=1.0, br;q=0.5',
  'br;q=0, gzip;q=0.8',
  'gzip;q=0, br;q=0, *;q=0.1',
  '*;q=0',
  undefined,
]
