import { containsNulCharacter } from './percentEncoding'
import { reject, type Rejection } from './rejection'

/** Largest JSON body accepted: far above any document (rich text included), far below harm. */
export const maxJsonBodyBytes = 1024 * 1024

/** Rich text nests a few levels per list; nothing a client sends legitimately goes deeper. */
export const maxJsonNesting = 64

type ContentKind = 'json' | 'multipart' | 'form' | 'none' | 'other'

/**
 * The media type of a Content-Type header, sorted into what the API can take. JSON and multipart
 * are recognised exactly as Payload recognises them when it reads a body (the text before the
 * first `;`, compared as is): a body Payload does not recognise is not read at all, and an update
 * would then run with no data. So `application/merge-patch+json` or `Application/JSON` are
 * "other", refused with a 415, rather than let through as JSON and ignored.
 */
export const getContentKind = (contentType: string | null): ContentKind => {
  if (!contentType) return 'none'
  const [mediaType] = contentType.split(';', 1)
  if (mediaType === 'application/json') return 'json'
  if (mediaType.trim() === 'multipart/form-data') return 'multipart'
  if (mediaType.trim().toLowerCase() === 'application/x-www-form-urlencoded') return 'form'
  return 'other'
}

export const hasMultipartBoundary = (contentType: string): boolean =>
  /;\s*boundary=("?)[^";]{1,70}\1\s*(;|$)/i.test(contentType)

const tooLarge = reject(
  413,
  `The request body is larger than the ${maxJsonBodyBytes / 1024 / 1024} MB limit for JSON.`,
)

/**
 * Past the limit the rest of a body is still read and dropped, up to this much, so the answer
 * reaches the client on a connection it can reuse; beyond it the connection is given up.
 */
const maxDrainedBytes = 16 * 1024 * 1024

/**
 * Reads a copy of the body as text, keeping nothing past `maxBytes`: a body over the limit is
 * refused with a 413 whether or not it declared its length.
 */
export const readBodyText = async (
  request: Request,
  maxBytes = maxJsonBodyBytes,
): Promise<string | Rejection> => {
  const declared = Number(request.headers.get('content-length'))
  if (!request.body) return ''
  if (Number.isFinite(declared) && declared > maxDrainedBytes) return tooLarge
  const reader = request.clone().body!.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > maxDrainedBytes) {
      await reader.cancel()
      break
    }
    if (total <= maxBytes) chunks.push(value)
  }
  return total > maxBytes ? tooLarge : Buffer.concat(chunks).toString('utf8')
}

/** Depth of nested objects and arrays, and whether any key or string holds a NUL character. */
const inspect = (root: unknown): { depth: number; hasNul: boolean } => {
  let depth = 0
  let hasNul = false
  // Iterative, so a hostile nesting cannot overflow the stack.
  const pending: [unknown, number][] = [[root, 1]]
  while (pending.length > 0) {
    const [value, level] = pending.pop()!
    if (typeof value === 'string') {
      hasNul ||= containsNulCharacter(value)
      continue
    }
    if (typeof value !== 'object' || value === null) continue
    depth = Math.max(depth, level)
    if (depth > maxJsonNesting) break
    for (const [key, entry] of Object.entries(value)) {
      hasNul ||= containsNulCharacter(key)
      pending.push([entry, level + 1])
    }
  }
  return { depth, hasNul }
}

/** Parses a JSON body that must be an object, as every JSON body of the API is. */
export const parseJsonObject = (
  text: string,
  what = 'The request body',
): Record<string, unknown> | Rejection => {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    // The parser's own message quotes the body; the client has it already and logs need not.
    return reject(400, `${what} is not valid JSON.`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return reject(400, `${what} must be a JSON object of field values, not ${describe(value)}.`)
  }
  return findJsonValueProblem(value, what) ?? (value as Record<string, unknown>)
}

/**
 * The limits every JSON body is held to, for a value parsed elsewhere (GraphQL's URL parameters):
 * its nesting, and no NUL character in any key or string.
 */
export const findJsonValueProblem = (value: unknown, what: string): Rejection | undefined => {
  const { depth, hasNul } = inspect(value)
  if (depth > maxJsonNesting) {
    return reject(400, `${what} is nested more than ${maxJsonNesting} levels deep.`)
  }
  return hasNul
    ? reject(400, `${what} contains a NUL character (\\u0000), which text cannot hold.`)
    : undefined
}

const describe = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`
