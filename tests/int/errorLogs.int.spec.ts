import crypto from 'node:crypto'

import type { Payload } from 'payload'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import {
  captureAppLogs,
  requestLine,
  type CapturedLogs,
  type LogLine,
} from '../helpers/capturedLogs'
import type { RunningApiServer } from '../helpers/apiServer'

/**
 * What a production replica logs for refused and for failed requests, read from the one logger
 * the server and Payload share. The app modules are imported only after the logger writes into
 * memory (the config takes the process's logger when it loads) and MEDIA_MAX_BYTES is small enough
 * to exceed cheaply.
 */
const maxUploadBytes = 64 * 1024

let logs: CapturedLogs
let payload: Payload
let server: RunningApiServer
let closePayload: (payload: Payload) => Promise<void>
let url: string
let token: string
let password: string
let email: string

beforeAll(async () => {
  process.env.MEDIA_MAX_BYTES = String(maxUploadBytes)
  logs = captureAppLogs()
  const [payloadHelpers, httpHelpers, serverHelpers] = await Promise.all([
    import('../helpers/payload'),
    import('../helpers/http'),
    import('../helpers/apiServer'),
  ])
  closePayload = payloadHelpers.closePayload
  payload = await payloadHelpers.initPayload()
  const editor = await payloadHelpers.createUser({ payload, role: 'editor' })
  email = editor.email
  password = payloadHelpers.testPassword
  token = await httpHelpers.loginToken(email, password)
  server = await serverHelpers.startApiServer({ logger: logs.logger })
  url = server.url
})

afterAll(async () => {
  await server?.close()
  if (payload) await closePayload(payload)
})

const hasStack = (line: LogLine) => /\n\s+at /.test(JSON.stringify(line).replace(/\\n/g, '\n'))

const upload = (data: Buffer, filename: string, contentType: string) => {
  const form = new FormData()
  form.append('file', new Blob([new Uint8Array(data)], { type: contentType }), filename)
  form.append('_payload', JSON.stringify({ alt: 'A refused upload' }))
  return fetch(`${url}/api/media`, {
    method: 'POST',
    headers: { Authorization: `JWT ${token}` },
    body: form,
  })
}

const postJson = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })

describe('a refused request', () => {
  const refusals: [string, number, () => Promise<Response>][] = [
    ['REST access denied', 403, () => fetch(`${url}/api/users`)],
    [
      'GraphQL access denied',
      403,
      () => postJson('/api/graphql', { query: '{ Users { docs { id } } }' }),
    ],
    ['REST validation', 400, () => postJson('/api/items', {}, { Authorization: `JWT ${token}` })],
    [
      'malformed JSON',
      400,
      () => postJson('/api/items', '{"name": ', { Authorization: `JWT ${token}` }),
    ],
    [
      'upload of a text file',
      415,
      () => upload(Buffer.from('not an image at all'), 'notes.jpg', 'image/jpeg'),
    ],
    [
      'wrong password',
      401,
      () => postJson('/api/users/login', { email, password: `${password}-wrong` }),
    ],
    [
      'GraphQL wrong password',
      401,
      () =>
        postJson('/api/graphql', {
          query: `mutation { loginUser(email: "${email}", password: "${password}-wrong") { token } }`,
        }),
    ],
    ['unknown document', 404, () => fetch(`${url}/api/items/987654`)],
    [
      'upload over the limit',
      413,
      () => upload(crypto.randomBytes(maxUploadBytes * 2), 'big.jpg', 'image/jpeg'),
    ],
  ]

  it('should leave only its request line: no error line, no stack', async () => {
    const mark = logs.mark()
    const requestIds: string[] = []
    for (const [what, status, send] of refusals) {
      const response = await send()
      await response.arrayBuffer()
      expect({ what, status: response.status }).toEqual({ what, status })
      requestIds.push(response.headers.get('x-request-id') as string)
    }
    for (const reqId of requestIds) await requestLine(logs, reqId)
    const written = logs.since(mark)
    expect(written.filter((line) => line.level === 'error')).toEqual([])
    expect(written.filter(hasStack)).toEqual([])
    for (const reqId of requestIds) {
      expect(written.filter((line) => line.reqId === reqId)).toEqual([
        expect.objectContaining({ msg: 'request', level: 'warn' }),
      ])
    }
    expect(written.filter((line) => line.msg !== 'request')).toEqual([])
  })
})

describe('a request that fails on our side', () => {
  /**
   * A schema change the running release does not know about — a contract migration applied before
   * the code that stops using the column, what the runbook's expand-then-contract rule prevents —
   * makes PostgreSQL refuse the app's own query. Neither the client's input (400) nor an outage
   * (503): a fault of ours, answered 500, whose cause must be found from the request id a user
   * reports. Nothing about it is mocked: the query really fails in the database.
   */
  const withCategoryNameColumnRenamed = async (work: () => Promise<void>) => {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL })
    await client.connect()
    try {
      await client.query('ALTER TABLE categories RENAME COLUMN name TO name_renamed_early')
      await work()
    } finally {
      await client.query('ALTER TABLE categories RENAME COLUMN name_renamed_early TO name')
      await client.end()
    }
  }

  const expectOneErrorLineWithCause = async (mark: number, response: Response) => {
    expect(response.status).toBe(500)
    const body = await response.text()
    expect(body).not.toMatch(/name_renamed_early|select|\bat .+:\d+/i)
    const reqId = response.headers.get('x-request-id') as string
    expect(JSON.parse(body)).toMatchObject({ errors: [expect.anything()] })
    const requestLog = await requestLine(logs, reqId)
    expect(requestLog).toMatchObject({ level: 'warn', status: 500 })
    const errorLines = logs.since(mark).filter((line) => line.level === 'error')
    expect(errorLines).toHaveLength(1)
    const [line] = errorLines
    expect(line.reqId).toBe(reqId)
    expect(line.err?.message).toMatch(/column .*name.* does not exist/)
    expect(line.err?.stack).toMatch(/\n\s+at /)
  }

  it('should leave one error line with the cause, its stack and the request id (REST)', async () => {
    await withCategoryNameColumnRenamed(async () => {
      const mark = logs.mark()
      await expectOneErrorLineWithCause(
        mark,
        await fetch(`${url}/api/categories?limit=1`, {
          headers: { Authorization: `JWT ${token}` },
        }),
      )
    })
  })

  it('should answer GraphQL 500 too, with one error line the same way', async () => {
    await withCategoryNameColumnRenamed(async () => {
      const mark = logs.mark()
      await expectOneErrorLineWithCause(
        mark,
        await postJson('/api/graphql', { query: '{ Categories(limit: 1) { docs { id name } } }' }),
      )
    })
  })
})
