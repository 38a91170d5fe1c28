import fs from 'node:fs'

import pg from 'pg'
import { describe, expect, inject, it } from 'vitest'

import '../setup/providedContext'

const { appUrl, appLogFile, adminEmail, adminPassword, payloadSecret, databaseUrl, r2Env } =
  inject('testContext')
const wrongPassword = 'wrong-password-marker-7c1f9e'

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${appUrl}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })

const readLogLines = () =>
  fs
    .readFileSync(appLogFile as string, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')

describe('the production server logs', () => {
  it('should never contain a secret after a workload that handles them all', async () => {
    const login = await post('/api/users/login', { email: adminEmail, password: adminPassword })
    expect(login.status).toBe(200)
    const { token } = (await login.json()) as { token: string }

    expect(
      (await post('/api/users/login', { email: adminEmail, password: wrongPassword })).status,
    ).toBe(401)
    expect(
      (await post('/api/users/login', { email: 'nobody@example.test', password: wrongPassword }))
        .status,
    ).toBe(401)
    const graphqlLogin = await post('/api/graphql', {
      query: `mutation { loginUser(email: "${adminEmail}", password: "${wrongPassword}") { token } }`,
    })
    expect(graphqlLogin.status).toBeLessThan(500)
    await (
      await fetch(`${appUrl}/api/users/me`, { headers: { Authorization: `JWT ${token}` } })
    ).arrayBuffer()
    await (
      await fetch(`${appUrl}/api/users?limit=5`, { headers: { Cookie: `payload-token=${token}` } })
    ).arrayBuffer()
    const malformed = await post('/api/items', '{"name": ', { Authorization: `JWT ${token}` })
    expect(malformed.status).toBe(400)
    await (await post('/api/users/forgot-password', { email: adminEmail })).arrayBuffer()

    // Give the server a moment to flush its last lines.
    await new Promise((resolve) => setTimeout(resolve, 500))
    const log = fs.readFileSync(appLogFile as string, 'utf8')
    const databasePassword = decodeURIComponent(new URL(databaseUrl).password)
    const client = new pg.Client({ connectionString: databaseUrl })
    await client.connect()
    const { rows } = await client
      .query<{ token: string }>(
        'SELECT reset_password_token AS token FROM users WHERE email = $1',
        [adminEmail],
      )
      .finally(() => client.end())
    const resetToken = rows[0]?.token
    const secrets = [
      adminPassword,
      wrongPassword,
      payloadSecret,
      token,
      r2Env?.R2_SECRET_ACCESS_KEY,
      resetToken,
      ...(databasePassword ? [databasePassword] : []),
    ]
    for (const secret of secrets) {
      expect(secret && secret.length >= 6).toBe(true)
      expect(
        log.includes(secret as string),
        `a secret of length ${secret?.length} was logged`,
      ).toBe(false)
    }
  })

  it('should write JSON lines, one request line per request, with route patterns', async () => {
    const response = await fetch(`${appUrl}/api/items/987654?depth=1`)
    expect(response.status).toBe(404)
    const reqId = response.headers.get('x-request-id')
    await new Promise((resolve) => setTimeout(resolve, 300))
    const lines = readLogLines()
    const json = lines
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(json.length).toBeGreaterThan(0)
    expect(lines.filter((line) => !line.startsWith('{'))).toEqual([])
    const requestLines = json.filter((line) => line.reqId === reqId && line.msg === 'request')
    expect(requestLines).toEqual([
      expect.objectContaining({
        level: 'warn',
        route: '/api/items/:id',
        method: 'GET',
        status: 404,
      }),
    ])
    for (const line of json.filter((entry) => entry.msg === 'request')) {
      expect(String(line.route)).not.toMatch(/\?|\/\d+(\/|$)/)
    }
  })
})
