import { readFileSync } from 'node:fs'
import path from 'node:path'

import { Kind, parse } from 'graphql'
import type { Payload } from 'payload'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { collectionSlugs, globalSlugs } from '../../collections/slugs'
import type { Category, Item, Media, SiteSetting } from '../../payload-types'
import { plainTextToRichText } from '../../src/lib/richText'
import { graphql, loginToken, rest } from '../helpers/http'
import { makeJpeg } from '../helpers/images'
import { closePayload, createUser, initPayload, testPassword, uniqueName } from '../helpers/payload'

/**
 * Runs every example of docs/API.md, so the guide cannot drift from the API. A request is an
 * ```http block starting with `GET /api/…` (a POST runs when its fence says ```http run), or a
 * ```graphql block; its documented answer is the fenced block right after it: ```json for a 2xx,
 * or ```http starting with `HTTP/1.1 <status>`, then headers, a blank line and an optional JSON
 * body. Documented keys and headers must exist in the real answer; values are only examples.
 */

const guidePath = path.resolve(import.meta.dirname, '../../docs/API.md')

type Fence = { lang: string; info: string; text: string; start: number; end: number }

type DocumentedAnswer = { status?: number; headers: string[]; body?: unknown }

type RestExample = {
  title: string
  method: 'GET' | 'POST'
  path: string
  headers: Record<string, string>
  body?: string
  expected: DocumentedAnswer
}

type GraphQLExample = { title: string; query: string; expected: DocumentedAnswer }

const readFences = (markdown: string): Fence[] =>
  [...markdown.matchAll(/^```(\w*)([^\n]*)\n([\s\S]*?)^```$/gm)].map((match) => ({
    lang: match[1],
    info: match[2].trim(),
    text: match[3],
    start: match.index,
    end: match.index + match[0].length,
  }))

/** Header lines up to the first blank line, then the rest as the body. */
const splitMessage = (lines: string[]) => {
  const blank = lines.findIndex((line) => line.trim() === '')
  const headerLines = blank === -1 ? lines : lines.slice(0, blank)
  const body = blank === -1 ? '' : lines.slice(blank + 1).join('\n')
  const headers = Object.fromEntries(
    headerLines.map((line) => {
      const colon = line.indexOf(':')
      return [line.slice(0, colon).trim(), line.slice(colon + 1).trim()]
    }),
  )
  return { headers, body: body.trim() }
}

const readAnswer = (fence: Fence | undefined, request: string): DocumentedAnswer => {
  if (fence?.lang === 'json') return { headers: [], body: JSON.parse(fence.text) }
  const [statusLine, ...rest] = fence?.text.split('\n') ?? []
  const status = fence?.lang === 'http' ? statusLine.match(/^HTTP\/1\.1 (\d{3})\b/)?.[1] : undefined
  if (!fence || !status)
    throw new Error(`docs/API.md: "${request}" has no documented answer after it`)
  const { headers, body } = splitMessage(rest)
  return {
    status: Number(status),
    headers: Object.keys(headers),
    body: body ? JSON.parse(body) : undefined,
  }
}

const readExamples = (markdown: string) => {
  const fences = readFences(markdown)
  const answerAfter = (index: number) => {
    const next = fences[index + 1]
    return next && markdown.slice(fences[index].end, next.start).trim() === '' ? next : undefined
  }
  const restExamples: RestExample[] = []
  const graphqlExamples: GraphQLExample[] = []
  fences.forEach((fence, index) => {
    if (fence.lang === 'graphql') {
      const title =
        fence.text.match(/^\s*(?:query|mutation)\s+(\w+)/)?.[1] ?? fence.text.slice(0, 40)
      graphqlExamples.push({
        title,
        query: fence.text,
        expected: readAnswer(answerAfter(index), title),
      })
      return
    }
    const [requestLine, ...rest] = fence.text.split('\n')
    const request = requestLine.match(/^(GET|POST) (\/api\/\S*)$/)
    if (fence.lang !== 'http' || !request) return
    const method = request[1] as RestExample['method']
    if (method === 'POST' && fence.info !== 'run') return
    const { headers, body } = splitMessage(rest)
    restExamples.push({
      title: [requestLine, ...Object.keys(headers)].join(' + '),
      method,
      path: request[2],
      headers,
      body: body || undefined,
      expected: readAnswer(answerAfter(index), requestLine),
    })
  })
  return { restExamples, graphqlExamples }
}

const { restExamples, graphqlExamples } = readExamples(readFileSync(guidePath, 'utf8'))

const describeValue = (value: unknown) =>
  Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value

/**
 * Where the real answer lacks what the documented one shows: every documented key, down every
 * object; an array's first entry against the real first entry; an empty documented array must be
 * empty (the guide shows what is hidden that way). Documented values are examples, not checked.
 */
const findShapeDifferences = (documented: unknown, actual: unknown, at = '$'): string[] => {
  if (documented === null || actual === null) return []
  if (Array.isArray(documented)) {
    if (!Array.isArray(actual)) return [`${at} is ${describeValue(actual)}, not an array`]
    if (documented.length === 0) return actual.length === 0 ? [] : [`${at} is not empty`]
    if (actual.length === 0) return [`${at} is empty`]
    return findShapeDifferences(documented[0], actual[0], `${at}[0]`)
  }
  if (typeof documented === 'object') {
    if (typeof actual !== 'object' || Array.isArray(actual)) {
      return [`${at} is ${describeValue(actual)}, not an object`]
    }
    return Object.entries(documented).flatMap(([key, value]) =>
      key in actual
        ? findShapeDifferences(value, (actual as Record<string, unknown>)[key], `${at}.${key}`)
        : [`${at}.${key} is missing`],
    )
  }
  return typeof documented === typeof actual
    ? []
    : [`${at} is ${describeValue(actual)}, not ${typeof documented}`]
}

let payload: Payload
let category: Category
let publishedItems: Item[]
let draftItem: Item
let images: Media[]
let previousSettings: SiteSetting
let editorEmail: string
let editorToken: string

/** The guide's placeholders and what stands for them in this run. */
const substitute = (text: string, extra: Record<string, string> = {}) => {
  const values: Record<string, string> = {
    coffee: category.slug as string,
    espresso: publishedItems[0].slug as string,
    'flat-white': publishedItems[1].slug as string,
    'pumpkin-latte': draftItem.slug as string,
    'editor@example.com': editorEmail,
    '<password>': testPassword,
    '<token>': editorToken,
    ...extra,
  }
  const escaped = Object.keys(values).map((key) => key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  return text.replace(
    new RegExp(`(?<![\\w-])(${escaped.join('|')})(?![\\w-])`, 'g'),
    (key) => values[key],
  )
}

/** Values for the variables a GraphQL example declares, by name. */
const graphqlVariables = (query: string): Record<string, unknown> => {
  const known: Record<string, unknown> = { categoryId: category.id }
  const names = parse(query).definitions.flatMap((definition) =>
    definition.kind === Kind.OPERATION_DEFINITION
      ? (definition.variableDefinitions ?? []).map((variable) => variable.variable.name.value)
      : [],
  )
  return Object.fromEntries(
    names.map((name) => {
      if (!(name in known)) throw new Error(`No value for the GraphQL variable $${name}`)
      return [name, known[name]]
    }),
  )
}

/** For an `If-None-Match: "<etag>"` example: the ETag the same request answers without it. */
const currentETag = async (example: RestExample) => {
  const response = await rest(example.method, example.path)
  await response.body?.cancel()
  return response.headers.get('etag') ?? ''
}

const expectDocumentedAnswer = async (response: Response, expected: DocumentedAnswer) => {
  const text = await response.text()
  if (expected.status === undefined) {
    expect(response.status, text).toBeGreaterThanOrEqual(200)
    expect(response.status, text).toBeLessThan(300)
  } else {
    expect(response.status, text).toBe(expected.status)
  }
  const missingHeaders = expected.headers.filter((name) => !response.headers.has(name))
  expect(missingHeaders, 'documented headers missing from the answer').toEqual([])
  if (expected.body !== undefined) {
    expect(findShapeDifferences(expected.body, JSON.parse(text)), text).toEqual([])
  }
  return text
}

beforeAll(async () => {
  payload = await initPayload()
  const editor = await createUser({ payload, role: 'editor' })
  editorEmail = editor.email
  editorToken = await loginToken(editor.email, testPassword)
  images = await Promise.all(
    ['A cup of espresso', 'Coffee Corner'].map(async (alt) =>
      payload.create({
        collection: collectionSlugs.media,
        data: { alt },
        file: { data: await makeJpeg(), mimetype: 'image/jpeg', name: 'guide.jpg', size: 0 },
      }),
    ),
  )
  category = await payload.create({
    collection: collectionSlugs.categories,
    // First in the catalog, which the guide's catalog example shows with its items.
    data: { name: uniqueName('Coffee'), sortOrder: -1_000_000, _status: 'published' },
  })
  publishedItems = []
  for (const [name, price] of [
    ['Espresso', 250],
    ['Flat white', 380],
  ] as const) {
    publishedItems.push(
      await payload.create({
        collection: collectionSlugs.items,
        data: {
          name: uniqueName(name),
          price,
          category: category.id,
          images: [images[0].id],
          tags: ['hot'],
          description: plainTextToRichText('Short and strong.'),
          sortOrder: publishedItems.length,
          _status: 'published',
        },
      }),
    )
  }
  draftItem = await payload.create({
    collection: collectionSlugs.items,
    data: {
      name: uniqueName('Pumpkin latte'),
      price: 450,
      category: category.id,
      _status: 'draft',
    },
    draft: true,
  })
  previousSettings = await payload.findGlobal({ slug: globalSlugs.siteSettings, depth: 0 })
  await payload.updateGlobal({
    slug: globalSlugs.siteSettings,
    data: { siteName: 'Coffee Corner', currency: 'USD', logo: images[1].id },
  })
})

afterAll(async () => {
  if (!payload) return
  for (const item of [...(publishedItems ?? []), ...(draftItem ? [draftItem] : [])]) {
    await payload.delete({ collection: collectionSlugs.items, id: item.id })
  }
  if (category) await payload.delete({ collection: collectionSlugs.categories, id: category.id })
  if (previousSettings) {
    const { siteName, currency, logo } = previousSettings
    await payload.updateGlobal({
      slug: globalSlugs.siteSettings,
      data: { siteName, currency, logo: logo ?? null },
    })
  }
  for (const image of images ?? []) {
    await payload.delete({ collection: collectionSlugs.media, id: image.id })
  }
  await closePayload(payload)
})

describe('docs/API.md', () => {
  it('should hold REST and GraphQL examples, each with a documented answer', () => {
    expect(restExamples.length).toBeGreaterThan(0)
    expect(graphqlExamples.length).toBeGreaterThan(0)
  })

  // Loops rather than it.each, whose $title would cut the requests short and blur them together.
  for (const example of restExamples) {
    it(`should answer ${example.title} as the guide documents`, async () => {
      const headers = Object.fromEntries(
        await Promise.all(
          Object.entries(example.headers).map(async ([name, value]) => [
            name,
            value.includes('"<etag>"')
              ? value.replace('"<etag>"', await currentETag(example))
              : substitute(value),
          ]),
        ),
      )
      const requestPath = substitute(example.path)
      const body = example.body === undefined ? undefined : substitute(example.body)
      expect(`${requestPath} ${JSON.stringify(headers)} ${body ?? ''}`).not.toMatch(/<\w+>/)
      const response = await rest(example.method, requestPath, { headers, body })
      await expectDocumentedAnswer(response, example.expected)
    })
  }

  for (const example of graphqlExamples) {
    it(`should answer the GraphQL query ${example.title} as documented`, async () => {
      const query = substitute(example.query)
      const response = await graphql(query, { variables: graphqlVariables(query) })
      const text = await expectDocumentedAnswer(response, example.expected)
      const hasDocumentedErrors =
        typeof example.expected.body === 'object' &&
        example.expected.body !== null &&
        'errors' in example.expected.body
      if (!hasDocumentedErrors)
        expect((JSON.parse(text) as { errors?: unknown }).errors).toBeUndefined()
    })
  }

  it('should refuse a GraphQL where through the category relationship, as the guide says', async () => {
    const response = await graphql(
      substitute('{ Items(where: { category__slug: { equals: "coffee" } }) { totalDocs } }'),
    )
    expect(response.status).toBe(400)
    const body = (await response.json()) as { data?: unknown; errors: { message: string }[] }
    expect(body.data).toBeUndefined()
    expect(body.errors[0].message).toMatch(/category__slug/)
  })
})
