import type http from 'node:http'

export type CapturedResponse = {
  status: number
  headers: http.OutgoingHttpHeaders
  body: Buffer
}

type Chunk = string | Uint8Array

const toBuffer = (chunk: Chunk, encoding?: BufferEncoding): Buffer =>
  typeof chunk === 'string' ? Buffer.from(chunk, encoding) : Buffer.from(chunk)

type Callback = (error?: Error | null) => void

const lastCallback = (args: unknown[]): Callback | undefined => {
  const last = args.at(-1)
  return typeof last === 'function' ? (last as Callback) : undefined
}

/**
 * Holds back what a handler writes to `res` — status, headers, body — instead of sending it, until
 * it ends the response; then puts `res` back as it was, so the caller decides what goes out: the
 * captured answer as it is, or a cached version of it. Headers the handler sets stay set on `res`.
 */
export const captureResponse = (res: http.ServerResponse) => {
  const original = {
    writeHead: res.writeHead,
    write: res.write,
    end: res.end,
    flushHeaders: res.flushHeaders,
  }
  const chunks: Buffer[] = []
  let settle: (captured: CapturedResponse) => void = () => undefined
  const captured = new Promise<CapturedResponse>((resolve) => (settle = resolve))

  const restore = () => Object.assign(res, original)

  res.writeHead = function (this: http.ServerResponse, status: number, ...rest: unknown[]) {
    this.statusCode = status
    const headers = rest.find((part) => part && typeof part === 'object')
    if (Array.isArray(headers)) {
      for (let index = 0; index + 1 < headers.length; index += 2)
        this.setHeader(String(headers[index]), headers[index + 1] as string)
    } else if (headers) {
      for (const [name, value] of Object.entries(headers as http.OutgoingHttpHeaders))
        if (value !== undefined) this.setHeader(name, value)
    }
    return this
  } as typeof res.writeHead
  res.flushHeaders = () => undefined
  res.write = function (chunk: Chunk, ...rest: unknown[]) {
    const encoding = typeof rest[0] === 'string' ? (rest[0] as BufferEncoding) : undefined
    chunks.push(toBuffer(chunk, encoding))
    lastCallback(rest)?.()
    return true
  } as typeof res.write
  res.end = function (this: http.ServerResponse, ...args: unknown[]) {
    const [chunk, encoding] = args
    if (chunk !== undefined && typeof chunk !== 'function')
      chunks.push(
        toBuffer(
          chunk as Chunk,
          typeof encoding === 'string' ? (encoding as BufferEncoding) : undefined,
        ),
      )
    restore()
    settle({ status: this.statusCode, headers: this.getHeaders(), body: Buffer.concat(chunks) })
    // The handler's callback runs once the real answer has gone out.
    const callback = lastCallback(args)
    if (callback) this.once('finish', () => callback())
    return this
  } as typeof res.end

  return { captured, restore }
}
