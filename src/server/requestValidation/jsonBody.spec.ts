import { describe, expect, it } from 'vitest'

import {
  getContentKind,
  hasMultipartBoundary,
  maxJsonBodyBytes,
  maxJsonNesting,
  parseJsonObject,
  readBodyText,
} from './jsonBody'
import { isRejection } from './rejection'

describe('getContentKind', () => {
  it.each([
    ['application/json', 'json'],
    ['application/json; charset=utf-8', 'json'],
    ['application/merge-patch+json', 'other'],
    ['Application/JSON', 'other'],
    ['application/json ; charset=utf-8', 'other'],
    ['multipart/form-data; boundary=x', 'multipart'],
    ['application/x-www-form-urlencoded', 'form'],
    ['text/plain', 'other'],
    [null, 'none'],
  ])('should sort %j as %s', (contentType, kind) => {
    expect(getContentKind(contentType)).toBe(kind)
  })
})

describe('hasMultipartBoundary', () => {
  it('should require a boundary parameter', () => {
    expect(hasMultipartBoundary('multipart/form-data; boundary=----abc')).toBe(true)
    expect(hasMultipartBoundary('multipart/form-data; boundary="a b"')).toBe(true)
    expect(hasMultipartBoundary('multipart/form-data')).toBe(false)
  })
})

describe('parseJsonObject', () => {
  it('should return an object', () => {
    expect(parseJsonObject('{"name":"Tea"}')).toEqual({ name: 'Tea' })
  })

  it.each([
    ['{"name":', /not valid JSON/],
    ['[1]', /an array/],
    ['"text"', /a string/],
    ['null', /null/],
    ['{"name":"a\\u0000b"}', /NUL/],
    ['{"a\\u0000":1}', /NUL/],
  ])('should refuse %j', (text, message) => {
    const result = parseJsonObject(text)
    expect(isRejection(result) && result.status).toBe(400)
    expect(isRejection(result) && result.message).toMatch(message)
  })

  it(`should refuse nesting deeper than ${maxJsonNesting} levels without overflowing`, () => {
    const deep = `{"a":${'['.repeat(100_000)}${']'.repeat(100_000)}}`
    const result = parseJsonObject(deep)
    expect(isRejection(result) && result.message).toMatch(/nested/)
  })
})

describe('readBodyText', () => {
  const post = (body: string, headers: Record<string, string> = {}) =>
    new Request('http://localhost/api/items', { method: 'POST', body, headers })

  it('should read a body within the limit and leave the request readable', async () => {
    const request = post('{"a":1}')
    expect(await readBodyText(request)).toBe('{"a":1}')
    expect(await request.text()).toBe('{"a":1}')
  })

  it('should refuse a body over the limit with a 413', async () => {
    const result = await readBodyText(post('x'.repeat(maxJsonBodyBytes + 1)))
    expect(isRejection(result) && result.status).toBe(413)
  })

  it('should refuse a declared length far over the limit without reading it', async () => {
    const result = await readBodyText(post('{}', { 'Content-Length': String(1024 ** 3) }))
    expect(isRejection(result) && result.status).toBe(413)
  })
})
