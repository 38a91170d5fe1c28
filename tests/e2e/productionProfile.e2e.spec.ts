import fs from 'node:fs'
import path from 'node:path'

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'

import { badInputCorpus } from '../badInput/corpus'
import { createDatabaseSnapshotter, diffSnapshots } from '../badInput/databaseSnapshot'
import { expectReadableRefusal } from '../badInput/expectRefusal'
import { sendCase, type Credentials, type Placeholders } from '../badInput/runCase'
import { listBucketKeys } from '../helpers/bucket'
import { makeJpeg } from '../helpers/images'
import { startNginx, type RunningNginx } from '../helpers/nginx'
import { acceptEncodingVariants, decodeBody, requestRaw } from '../helpers/rawHttp'
import { getFreePort, replicaEnv, startApp, type RunningApp } from '../setup/appServer'
import '../setup/providedContext'
import { makeSharedTempDir } from '../setup/testDatabase'

/**
 * The production profile, as users run it: the production build under NODE_ENV=production, media
 * in a bucket through the S3 API with R2_PUBLIC_BASE set, behind nginx with TRUST_PROXY=1, and
 * clients that send what browsers send. Nothing here removes a production setting to make a check
 * easier: the defects users meet live in exactly those settings.
 */
const context = inject('testContext')
const browserHeaders = {
  'Accept-Encoding': 'gzip, deflate, br, zstd',
  'Accept-Language': 'en-GB,en;q=0.9',
  'User-Agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko)',
}
const publicBase = context.r2Env?.R2_PUBLIC_BASE as string
const revalidationHeaders: Record<string, string>[] = [
  {},
  { Range: 'bytes=0-99' },
  { 'If-None-Match': '"old"' },
]

let workDir: string
let logFile: string
let replica: RunningApp
let proxy: RunningNginx
let adminToken: string
let editorToken: string
let categoryId: number

type JsonInit = { method?: string; token?: string; body?: unknown }

/** A JSON request through nginx, as a browser's fetch() would send it. */
const api = async <T>(pathname: string, { method = 'GET', token, body }: JsonInit = {}) => {
  const response = await fetch(`${proxy.url}${pathname}`, {
    method,
    headers: {
      ...browserHeaders,
      ...(token ? { Authorization: `JWT ${token}` } : {}),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  if (!response.ok) throw new Error(`${method} ${pathname}: ${response.status} ${text}`)
  return JSON.parse(text) as T
}

const signIn = async (email: string, password: string) =>
  (
    await api<{ token: string }>('/api/users/login', {
      method: 'POST',
      body: { email, password },
    })
  ).token

const uploadImage = async (token: string, filename: string) => {
  const form = new FormData()
  form.append('file', new Blob([new Uint8Array(await makeJpeg(1200, 800))]), filename)
  form.append('_payload', JSON.stringify({ alt: 'Production profile image' }))
  const response = await fetch(`${proxy.url}/api/media`, {
    method: 'POST',
    headers: { ...browserHeaders, Authorization: `JWT ${token}` },
    body: form,
  })
  expect(response.status).toBe(201)
  return (
    (await response.json()) as {
      doc: {
        id: number
        url: string
        filename: string
        sizes: Record<string, { filename: string | null; url: string | null }>
      }
    }
  ).doc
}

/** A production log line: pino's JSON with a textual level (src/server/observability/logger.ts). */
type LogLine = { level: string; msg?: string; status?: number; reqId?: string }

/** The replica's JSON log lines written since `offset` (a byte position in the log file). */
const logLinesSince = (offset: number) =>
  fs
    .readFileSync(logFile)
    .subarray(offset)
    .toString('utf8')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine)

beforeAll(async () => {
  workDir = makeSharedTempDir('catalog-production-profile-')
  logFile = path.join(workDir, 'replica.log')
  const port = await getFreePort()
  replica = await startApp({
    env: replicaEnv(context, {
      TRUST_PROXY: '1',
      LOG_LEVEL: 'info',
      // Every request of this file comes from 127.0.0.1: the per-address sign-in limit would
      // otherwise answer the corpus's sign-in cases with 429 before they reach what they test.
      LOGIN_RATE_LIMIT_IP_ATTEMPTS: '1000',
    }),
    port,
    logFile,
  })
  proxy = await startNginx([{ port }])
  adminToken = await signIn(context.adminEmail as string, context.adminPassword as string)
  const editorPassword = `editor-${Date.now()}-password`
  const editor = await api<{ doc: { id: number; email: string } }>('/api/users', {
    method: 'POST',
    token: adminToken,
    body: {
      email: `profile-editor-${Date.now()}@example.test`,
      password: editorPassword,
      role: 'editor',
    },
  })
  editorToken = await signIn(editor.doc.email, editorPassword)
  const category = await api<{ doc: { id: number } }>('/api/categories', {
    method: 'POST',
    token: editorToken,
    body: { name: `Profile category ${Date.now()}`, _status: 'published' },
  })
  categoryId = category.doc.id
})

afterAll(async () => {
  await proxy?.stop()
  await replica?.stop()
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true })
})

describe('GET /api/catalog behind nginx', () => {
  it.each(acceptEncodingVariants)(
    'should apply exactly one encoding on the first read after a change, for %j',
    async (acceptEncoding) => {
      await api(`/api/categories/${categoryId}`, {
        method: 'PATCH',
        token: editorToken,
        body: { description: `changed for ${acceptEncoding ?? 'no header'} at ${Date.now()}` },
      })
      const headers: Record<string, string> =
        acceptEncoding === undefined ? {} : { 'Accept-Encoding': acceptEncoding }
      const first = await requestRaw(`${proxy.url}/api/catalog`, { headers })
      const later = await requestRaw(`${proxy.url}/api/catalog`, { headers })
      const identity = await requestRaw(`${proxy.url}/api/catalog`, {
        headers: { 'Accept-Encoding': 'identity' },
      })
      expect(identity.headers['content-encoding']).toBeUndefined()
      for (const response of [first, later]) {
        expect(response.status).toBe(200)
        expect(response.headers['content-encoding'] ?? 'identity').toMatch(/^[a-z]+$/)
        expect(decodeBody(response).equals(identity.body)).toBe(true)
      }
    },
  )
})

describe('anonymous API reads behind nginx', () => {
  const itemsPath = () => `/api/items?where[category][equals]=${categoryId}&depth=1&sort=name`
  const readThroughProxy = (pathname: string, headers: Record<string, string> = {}) =>
    requestRaw(`${proxy.url}${pathname}`, { headers: { ...browserHeaders, ...headers } })

  it('should answer a repeated REST read from the cache, and a change at once', async () => {
    await readThroughProxy(itemsPath())
    const cached = await readThroughProxy(itemsPath())
    expect(cached.headers['x-cache']).toBe('HIT')
    expect(cached.headers['content-encoding']).toBe('br')
    expect(cached.headers.etag).toMatch(/^"[\w-]+-br"$/)
    const signedIn = await readThroughProxy(itemsPath(), { Authorization: `JWT ${editorToken}` })
    expect(signedIn.headers['x-cache']).toBe('BYPASS')
    expect(JSON.parse(decodeBody(cached).toString('utf8'))).toEqual(
      JSON.parse(decodeBody(signedIn).toString('utf8')),
    )
    const name = `Profile item ${Date.now()}`
    await api('/api/items', {
      method: 'POST',
      token: editorToken,
      body: { name, price: 990, category: categoryId, _status: 'published' },
    })
    const changed = await readThroughProxy(itemsPath())
    expect(decodeBody(changed).toString('utf8')).toContain(name)
    const revalidated = await readThroughProxy(itemsPath(), {
      'If-None-Match': String((await readThroughProxy(itemsPath())).headers.etag),
    })
    expect(revalidated.status).toBe(304)
  })

  it('should answer a repeated GraphQL query from the cache', async () => {
    const query = `{ Categories(where: { id: { equals: ${categoryId} } }) { docs { id name } } }`
    const post = () =>
      requestRaw(`${proxy.url}/api/graphql`, {
        method: 'POST',
        headers: { ...browserHeaders, 'Content-Type': 'application/json' },
        body: JSON.stringify({ query }),
      })
    const first = await post()
    const second = await post()
    expect(first.status).toBe(200)
    expect(second.headers['x-cache']).toBe('HIT')
    expect(decodeBody(second).toString('utf8')).toBe(decodeBody(first).toString('utf8'))
  })
})

describe('the public page behind nginx', () => {
  it('should link only to pages and APIs that the production build serves', async () => {
    const page = await requestRaw(`${proxy.url}/`, {
      headers: { 'Accept-Encoding': 'identity' },
    })
    expect(page.status).toBe(200)
    const ownLinks = [...page.body.toString('utf8').matchAll(/href="(\/[^"]*)"/g)]
      .map((match) => match[1])
      .filter((href) => !href.startsWith('/_next/'))
    expect(ownLinks).toEqual(expect.arrayContaining(['/admin', '/api/catalog']))
    for (const href of new Set(ownLinks)) {
      const response = await requestRaw(`${proxy.url}${href}`, {
        headers: { 'Accept-Encoding': 'identity' },
      })
      expect(response.status, `GET ${href}`).toBeLessThan(400)
    }
  })
})

describe('media under R2_PUBLIC_BASE', () => {
  it('should redirect the app file route permanently to the public URL, which serves the file', async () => {
    const doc = await uploadImage(editorToken, 'profile.jpg')
    expect(doc.url).toBe(`${publicBase}/media/${doc.filename}`)
    const stored: [filename: string, url: string][] = [[doc.filename, doc.url]]
    for (const size of Object.values(doc.sizes)) {
      // A size wider than the original is not made (never upscaled): it has no file.
      if (size.filename && size.url) stored.push([size.filename, size.url])
    }
    expect(stored.length).toBeGreaterThan(1)
    for (const [filename, url] of stored) {
      for (const extra of revalidationHeaders) {
        const response = await requestRaw(`${proxy.url}/api/media/file/${filename}`, {
          headers: { ...browserHeaders, ...extra },
        })
        expect(response.status, filename).toBe(308)
        expect(response.headers.location).toBe(url)
      }
      const image = await fetch(url)
      expect(image.status).toBe(200)
      expect(image.headers.get('content-type')).toBe('image/jpeg')
    }
    const unknown = await requestRaw(`${proxy.url}/api/media/file/missing-0123456789.jpg`)
    expect(unknown.status).toBe(404)
    const malformed = await requestRaw(`${proxy.url}/api/media/file/..%2F.env`)
    expect(malformed.status).toBe(400)
  })
})

describe(`the bad-input corpus through nginx (${badInputCorpus.length} requests)`, () => {
  it('should refuse every case with a readable 4xx, log no error and no stack, and change nothing', async () => {
    const placeholders: Placeholders = {
      category: categoryId,
      item: (
        await api<{ doc: { id: number } }>('/api/items', {
          method: 'POST',
          token: editorToken,
          body: {
            name: `Profile item ${Date.now()}`,
            price: 100,
            category: categoryId,
            _status: 'published',
          },
        })
      ).doc.id,
      media: (await uploadImage(editorToken, 'corpus.jpg')).id,
      editor: (await api<{ user: { id: number } }>('/api/users/me', { token: editorToken })).user
        .id,
      admin: (await api<{ user: { id: number } }>('/api/users/me', { token: adminToken })).user.id,
      audit: (
        await api<{ docs: { id: number }[] }>('/api/audit-logs?limit=1', { token: adminToken })
      ).docs[0].id,
      itemVersion: (
        await api<{ docs: { id: number }[] }>('/api/items/versions?limit=1', { token: adminToken })
      ).docs[0].id,
    }
    const credentials: Credentials = {
      admin: adminToken,
      editor: editorToken,
      adminCookie: adminToken,
      editorCookie: editorToken,
    }
    const secrets = [
      adminToken,
      editorToken,
      context.payloadSecret,
      context.adminPassword as string,
    ]
    if (context.r2Env?.R2_SECRET_ACCESS_KEY) secrets.push(context.r2Env.R2_SECRET_ACCESS_KEY)

    const snapshotter = await createDatabaseSnapshotter(context.databaseUrl)
    try {
      const databaseBefore = await snapshotter.take()
      const bucketBefore = (await listBucketKeys()).sort()
      const logOffset = fs.statSync(logFile).size
      const failures: string[] = []
      let proxyRefusals = 0
      /** Which case each request id was, so a log line names the case that caused it. */
      const caseByRequestId = new Map<string, string>()
      for (const testCase of badInputCorpus) {
        const response = await sendCase({
          baseUrl: proxy.url,
          testCase,
          placeholders,
          credentials,
          clientHeaders: browserHeaders,
        })
        const text = await response.text()
        caseByRequestId.set(response.headers.get('x-request-id') ?? '', testCase.name)
        // A NUL byte or a broken escape in the path never reaches a replica: nginx refuses it
        // (docs/deploy/nginx/catalog-cms-errors.conf). The app sets a CSP on every answer; an
        // answer without one is nginx's, which cannot know the case's own status or message.
        const isProxyRefusal = !response.headers.has('content-security-policy')
        if (isProxyRefusal) proxyRefusals += 1
        // Only what nginx cannot read may stop there: a percent-escape it refuses to decode.
        if (isProxyRefusal && !testCase.path.split('?')[0].includes('%')) {
          failures.push(`${testCase.name}: refused by nginx, not by the app`)
        }
        try {
          expectReadableRefusal({
            testCase: isProxyRefusal
              ? { ...testCase, status: undefined, message: /cannot be read|too long|larger/ }
              : testCase,
            status: response.status,
            contentType: response.headers.get('content-type'),
            text,
            secrets,
          })
        } catch (error) {
          failures.push(
            `${testCase.name}: ${response.status} ${(error as Error).message.slice(0, 300)}`,
          )
        }
      }
      expect(failures).toEqual([])
      expect(diffSnapshots(databaseBefore, await snapshotter.take())).toEqual([])
      expect((await listBucketKeys()).sort()).toEqual(bucketBefore)

      // pino writes asynchronously: give the last lines a moment to reach the file.
      await new Promise((resolve) => setTimeout(resolve, 500))
      const lines = logLinesSince(logOffset)
      const requestLines = lines.filter((line) => line.msg === 'request')
      // One request line for every case the replica saw: all but those nginx refused.
      expect(requestLines.length).toBeGreaterThanOrEqual(badInputCorpus.length - proxyRefusals)
      expect(requestLines.filter((line) => (line.status ?? 0) >= 500)).toEqual([])
      const describeLine = (line: LogLine) =>
        `${caseByRequestId.get(line.reqId ?? '') ?? 'no request'}: ${line.level} ${line.msg?.slice(0, 200)}`
      expect(
        lines.filter((line) => ['error', 'fatal'].includes(line.level)).map(describeLine),
      ).toEqual([])
      expect(
        lines.filter((line) => JSON.stringify(line).includes('"stack"')).map(describeLine),
      ).toEqual([])
    } finally {
      await snapshotter.close()
    }
  })
})
