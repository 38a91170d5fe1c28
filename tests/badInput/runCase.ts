import { makeAnimation, makeBlackPng, makeJpeg } from '../helpers/images'
import type { BadInputCase, CaseBody, FileKind, Principal } from './corpus'

export type Placeholders = Record<string, number>

export type Credentials = Record<Exclude<Principal, 'anonymous'>, string>

const placeholderPattern = /\{(\w+)\}/g

const fillString = (text: string, placeholders: Placeholders): string =>
  text.replace(placeholderPattern, (match, name: string) =>
    name in placeholders ? String(placeholders[name]) : match,
  )

/** A string that is exactly one placeholder becomes its number, so JSON bodies carry real ids. */
const fillValue = (value: unknown, placeholders: Placeholders): unknown => {
  if (typeof value === 'string') {
    const exact = /^\{(\w+)\}$/.exec(value)
    if (exact && exact[1] in placeholders) return placeholders[exact[1]]
    return fillString(value, placeholders)
  }
  if (Array.isArray(value)) return value.map((entry) => fillValue(entry, placeholders))
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, entry]) => [key, fillValue(entry, placeholders)]),
    )
  }
  return value
}

const textFile = Buffer.from('this is plain text, not an image\n')
const svgFile = Buffer.from(
  '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
)

const fileBytes = async (kind: FileKind) => {
  switch (kind) {
    case 'jpeg':
      return makeJpeg(40, 30)
    case 'text':
      return textFile
    case 'svg':
      return svgFile
    case 'hugePng':
      return makeBlackPng({ width: 16_000, height: 16_000 })
    case 'framesPastPixelLimit':
      // 16 megapixels a frame, 48 in all: past the default limit of 40 only together.
      return makeAnimation({ width: 4000, height: 4000, frames: 3, format: 'webp' })
    default:
      return Buffer.alloc(0)
  }
}

const buildBody = async (
  body: CaseBody,
  placeholders: Placeholders,
): Promise<{ body: BodyInit; contentType?: string }> => {
  if ('json' in body) {
    return {
      body: JSON.stringify(fillValue(body.json, placeholders)),
      contentType: 'application/json',
    }
  }
  if ('raw' in body) {
    // Bytes rather than a string: fetch would label a string text/plain.
    return {
      body: new Uint8Array(Buffer.from(fillString(body.raw, placeholders))),
      contentType: body.contentType,
    }
  }
  if ('hugeJson' in body) {
    const { field, bytes, extra } = body.hugeJson
    const value = {
      ...(fillValue(extra ?? {}, placeholders) as object),
      [field]: 'x'.repeat(bytes),
    }
    return { body: JSON.stringify(value), contentType: 'application/json' }
  }
  const form = new FormData()
  for (const part of body.multipart) {
    if ('file' in part) {
      const bytes = await fileBytes(part.file)
      form.append(part.name, new Blob([new Uint8Array(bytes)], { type: part.type }), part.filename)
    } else {
      form.append(part.name, fillString(part.value, placeholders))
    }
  }
  // fetch sets the multipart content type with its boundary.
  return { body: form }
}

const authHeaders = (principal: Principal, credentials: Credentials): Record<string, string> => {
  switch (principal) {
    case 'anonymous':
      return {}
    case 'editorCookie':
    case 'adminCookie':
      return { Cookie: `payload-token=${credentials[principal]}` }
    default:
      return { Authorization: `JWT ${credentials[principal]}` }
  }
}

type SendCaseArgs = {
  baseUrl: string
  testCase: BadInputCase
  placeholders: Placeholders
  credentials: Credentials
  /** Sent with every case, under the case's own: e.g. what a browser sends with any request. */
  clientHeaders?: Record<string, string>
}

/** Sends one corpus case over HTTP, as a client would, and returns the raw response. */
export const sendCase = async ({
  baseUrl,
  testCase,
  placeholders,
  credentials,
  clientHeaders = {},
}: SendCaseArgs): Promise<Response> => {
  const headers = new Headers({
    ...clientHeaders,
    ...authHeaders(testCase.as ?? 'anonymous', credentials),
    ...testCase.headers,
  })
  let body: BodyInit | undefined
  if (testCase.body) {
    const built = await buildBody(testCase.body, placeholders)
    body = built.body
    if (built.contentType) headers.set('Content-Type', built.contentType)
  }
  return fetch(`${baseUrl}${fillString(testCase.path, placeholders)}`, {
    method: testCase.method,
    headers,
    body,
    redirect: 'manual',
  })
}
