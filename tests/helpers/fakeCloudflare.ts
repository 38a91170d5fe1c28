import crypto from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

/** One purge call as Cloudflare received it. */
export type CloudflareCall = {
  at: number
  tags?: string[]
  files?: string[]
  /** What was wrong with it, against Cloudflare's documented API; empty when it was valid. */
  problems: string[]
  status: number
}

/** An answer to give instead of success, for the next call. */
export type ScriptedAnswer = {
  status: number
  retryAfter?: string
  /** Error messages in Cloudflare's `errors` array. */
  messages?: string[]
}

export type FakeCloudflare = {
  /** For `apiBase` / CLOUDFLARE_API_BASE: `http://127.0.0.1:<port>/client/v4`. */
  apiBase: string
  zoneId: string
  apiToken: string
  calls: CloudflareCall[]
  /** Answers the next calls with these, in order, then with success again. */
  answerNext: (...answers: ScriptedAnswer[]) => void
  close: () => Promise<void>
}

const maxItemsPerCall = 100
const maxTagLength = 1024
const purgeKinds = ['tags', 'files', 'hosts', 'prefixes']

const isTag = (tag: unknown): tag is string =>
  typeof tag === 'string' &&
  tag.length > 0 &&
  tag.length <= maxTagLength &&
  // Printable ASCII without the header's separators.
  /^[\x21-\x7e]+$/.test(tag) &&
  !tag.includes(',')

const isFileURL = (url: unknown): boolean => {
  if (typeof url !== 'string') return false
  try {
    return ['http:', 'https:'].includes(new URL(url).protocol)
  } catch {
    return false
  }
}

/** What is wrong with a purge body, per https://developers.cloudflare.com/api/ (zones purge). */
const bodyProblems = (body: unknown): string[] => {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    return ['the body is no JSON object']
  const record = body as Record<string, unknown>
  const problems: string[] = []
  if ('purge_everything' in record) problems.push('purge_everything was sent')
  const kinds = Object.keys(record).filter((key) => purgeKinds.includes(key))
  const unknown = Object.keys(record).filter((key) => !purgeKinds.includes(key))
  if (unknown.length > 0) problems.push(`unknown fields: ${unknown.join(', ')}`)
  if (kinds.length !== 1)
    problems.push(`one of tags/files per call, got ${kinds.join(', ') || 'none'}`)
  for (const kind of kinds) {
    const values = record[kind]
    if (!Array.isArray(values) || values.length === 0) {
      problems.push(`${kind} is no non-empty array`)
      continue
    }
    if (values.length > maxItemsPerCall)
      problems.push(`${values.length} ${kind} in one call (at most ${maxItemsPerCall})`)
    const isValid = kind === 'files' ? isFileURL : isTag
    const invalid = values.filter((value) => !isValid(value))
    if (invalid.length > 0) problems.push(`invalid ${kind}: ${JSON.stringify(invalid.slice(0, 3))}`)
  }
  return problems
}

const readBody = async (req: http.IncomingMessage) => {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

const parseJson = (text: string): unknown => {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

const send = (
  res: http.ServerResponse,
  status: number,
  messages: string[],
  headers: Record<string, string> = {},
) => {
  const isSuccess = status === 200
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers })
  res.end(
    JSON.stringify({
      success: isSuccess,
      errors: messages.map((message, index) => ({ code: 1000 + index, message })),
      messages: [],
      result: isSuccess ? { id: crypto.randomBytes(16).toString('hex') } : null,
    }),
  )
}

/**
 * A local stand-in for Cloudflare's purge API (the remote boundary): it checks every call
 * against the documented API — `POST /client/v4/zones/<zone>/purge_cache`, `Authorization:
 * Bearer <token>`, JSON with exactly one of `tags` or `files`, at most 100 of them, tags of
 * printable ASCII up to 1,024 characters, never `purge_everything` — records it, and answers as
 * Cloudflare does: 200 with `success: true`, 400 for an invalid call, 403 for a wrong token, or
 * what a test scripted (429 with `Retry-After`, 500).
 */
export const startFakeCloudflare = async (): Promise<FakeCloudflare> => {
  const zoneId = crypto.randomBytes(16).toString('hex')
  const apiToken = crypto.randomBytes(20).toString('hex')
  const calls: CloudflareCall[] = []
  const scripted: ScriptedAnswer[] = []
  const server = http.createServer(async (req, res) => {
    const text = await readBody(req)
    const body = parseJson(text)
    const problems: string[] = []
    if (req.method !== 'POST') problems.push(`method ${req.method}`)
    if (req.url !== `/client/v4/zones/${zoneId}/purge_cache`) problems.push(`path ${req.url}`)
    if (!String(req.headers['content-type']).startsWith('application/json'))
      problems.push(`content-type ${req.headers['content-type']}`)
    const isAuthorized = req.headers.authorization === `Bearer ${apiToken}`
    if (!isAuthorized) problems.push('no Bearer token, or the wrong one')
    problems.push(...bodyProblems(body))
    const record = (body ?? {}) as { tags?: string[]; files?: string[] }
    const call: CloudflareCall = {
      at: Date.now(),
      tags: record.tags,
      files: record.files,
      problems,
      status: 200,
    }
    calls.push(call)
    if (!isAuthorized) return send(res, (call.status = 403), ['Authentication error'])
    if (problems.length > 0) return send(res, (call.status = 400), problems)
    const answer = scripted.shift()
    if (!answer) return send(res, 200, [])
    call.status = answer.status
    send(
      res,
      answer.status,
      answer.messages ?? [`scripted ${answer.status}`],
      answer.retryAfter ? { 'Retry-After': answer.retryAfter } : {},
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    apiBase: `http://127.0.0.1:${port}/client/v4`,
    zoneId,
    apiToken,
    calls,
    answerNext: (...answers) => void scripted.push(...answers),
    close: async () => {
      server.closeAllConnections()
      await new Promise((resolve) => server.close(resolve))
    },
  }
}
