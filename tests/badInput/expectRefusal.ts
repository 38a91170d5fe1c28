import { expect } from 'vitest'

import type { BadInputCase } from './corpus'

/** Text that must never reach a client: stack frames, SQL and its errors, and our secrets. */
const leakPatterns: [label: string, pattern: RegExp][] = [
  ['a stack frame', /\bat [^\n]*\(?[^\n]*:\d+:\d+\)?/],
  ['a source path', /node_modules|\/work\/|file:\/\//],
  ['SQL', /\b(select\b[^"]*\bfrom|insert into|delete from|update "|returning "|\$1\b)/i],
  [
    'a database error',
    /relation "|syntax error at|violates|invalid input (syntax|value)|column "|pg_/i,
  ],
  ['a generic 500 message', /something went wrong|internal server error/i],
]

type ErrorBody = { errors?: { message?: unknown }[] }

/**
 * What every refusal of a corpus case must be: the case's 4xx, a JSON body whose first error says
 * something readable (what the case expects), and nothing that leaks internals or `secrets`.
 */
export const expectReadableRefusal = ({
  testCase,
  status,
  contentType,
  text,
  secrets,
}: {
  testCase: BadInputCase
  status: number
  contentType: string | null
  text: string
  secrets: string[]
}) => {
  const excerpt = text.slice(0, 500)
  expect(status, excerpt).toBeGreaterThanOrEqual(400)
  expect(status, excerpt).toBeLessThan(500)
  if (testCase.status) expect(status, excerpt).toBe(testCase.status)

  expect(contentType).toMatch(/^application\/json/)
  const body = JSON.parse(text) as ErrorBody
  const message = body.errors?.[0]?.message
  expect(typeof message, excerpt).toBe('string')
  expect((message as string).length).toBeGreaterThan(5)
  if (testCase.message) expect(message).toMatch(testCase.message)

  for (const [label, pattern] of leakPatterns) {
    expect(pattern.test(text), `${label} in ${excerpt}`).toBe(false)
  }
  for (const secret of secrets) expect(text).not.toContain(secret)
}
