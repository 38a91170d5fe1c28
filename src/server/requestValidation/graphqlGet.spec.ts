import { describe, expect, it } from 'vitest'

import { checkGraphQLGetOperation, readGraphQLGetBody, toGraphQLPost } from './graphqlGet'
import { malformedQueryMessage } from './percentEncoding'
import { isRejection } from './rejection'

const graphQLUrl = (parameters: Record<string, string> | string) =>
  new URL(
    `http://cms.example.com/api/graphql?${typeof parameters === 'string' ? parameters : new URLSearchParams(parameters)}`,
  )

const query = 'query Items($limit: Int) { Items(limit: $limit) { totalDocs } }'

describe('readGraphQLGetBody', () => {
  it('should read the parameters into the body a POST would send, JSON parsed', () => {
    expect(
      readGraphQLGetBody(
        graphQLUrl({
          query,
          variables: '{"limit":2}',
          operationName: 'Items',
          extensions: '{"persistedQuery":{}}',
          locale: 'en',
        }),
      ),
    ).toEqual({
      query,
      variables: { limit: 2 },
      operationName: 'Items',
      extensions: { persistedQuery: {} },
    })
  })

  it('should leave out the parameters that are absent', () => {
    expect(readGraphQLGetBody(graphQLUrl({ query }))).toEqual({ query })
  })

  it.each([
    ['no query', {}, /has no query/],
    ['only variables', { variables: '{}' }, /has no query/],
    [
      'variables that are not JSON',
      { query, variables: '{limit:2}' },
      /variables is not valid JSON/,
    ],
    ['variables that are empty', { query, variables: '' }, /variables is not valid JSON/],
    ['variables that are a list', { query, variables: '[2]' }, /variables must be a JSON object/],
    ['extensions that are not JSON', { query, extensions: 'x' }, /extensions is not valid JSON/],
    ['extensions that are text', { query, extensions: '"x"' }, /extensions must be a JSON object/],
    ['a NUL in the query', { query: '{ Items { totalDocs } }\u0000' }, /NUL character/],
    [
      'variables nested too deep',
      { query, variables: `${'{"a":'.repeat(70)}1${'}'.repeat(70)}` },
      /nested more than 64 levels/,
    ],
    [
      'a document nested too deep',
      { query: `${'{ a '.repeat(100)}${'}'.repeat(100)}` },
      /levels deep/,
    ],
  ])('should refuse %s with a 400', (_, parameters, message) => {
    const body = readGraphQLGetBody(graphQLUrl(parameters))
    expect(isRejection(body) && body.status).toBe(400)
    expect(isRejection(body) && body.message).toMatch(message)
  })

  it.each(['query', 'variables', 'operationName'])('should refuse %s given twice', (name) => {
    const body = readGraphQLGetBody(
      graphQLUrl(`query=${encodeURIComponent(query)}&${name}=%7B%7D&${name}=%7B%7D`),
    )
    expect(isRejection(body) && body.message).toBe(
      `${name} is in the URL more than once: give it once.`,
    )
  })

  it('should refuse a malformed percent-escape rather than read it as text', () => {
    const body = readGraphQLGetBody(graphQLUrl('query=%7B%20Items%20%GG'))
    expect(isRejection(body) && body.message).toBe(malformedQueryMessage)
  })
})

describe('checkGraphQLGetOperation', () => {
  it.each([
    '{ Items { totalDocs } }',
    'query { Items { totalDocs } }',
    'query Items { Items { totalDocs } } fragment F on Item { id }',
  ])('should let the query %j through', (document) => {
    expect(checkGraphQLGetOperation({ query: document })).toBeUndefined()
  })

  it.each([
    ['mutation { deleteItem(id: 1) { id } }', undefined, 'mutation'],
    ['subscription { Items { totalDocs } }', undefined, 'subscription'],
    ['query Read { Items { totalDocs } } mutation Write { logoutUser }', 'Write', 'mutation'],
  ])('should refuse %j (operationName %j) with 405, Allow: POST', (document, name, operation) => {
    const rejection = checkGraphQLGetOperation({ query: document, operationName: name })
    expect(rejection).toMatchObject({ status: 405, allow: 'POST' })
    expect(rejection?.message).toContain(`send this ${operation} by POST`)
  })

  it('should let the query operationName picks from a document that also holds a mutation', () => {
    expect(
      checkGraphQLGetOperation({
        query: 'query Read { Items { totalDocs } } mutation Write { logoutUser }',
        operationName: 'Read',
      }),
    ).toBeUndefined()
  })

  it.each([
    ['an unknown operationName', 'mutation Write { logoutUser }', 'write'],
    ['several operations and no name', 'query A { a } mutation B { b }', undefined],
  ])('should pass on %s for the executor to refuse', (_, document, operationName) => {
    expect(checkGraphQLGetOperation({ query: document, operationName })).toBeUndefined()
  })

  it('should answer a syntax error as the parser reports it, with its location', () => {
    expect(checkGraphQLGetOperation({ query: '{ Items { totalDocs }' })).toMatchObject({
      status: 400,
      message: 'Syntax Error: Expected Name, found <EOF>.',
      locations: [{ line: 1, column: 22 }],
    })
  })
})

describe('toGraphQLPost', () => {
  it('should send the body as JSON with the same headers, keeping the other URL parameters', async () => {
    const get = new Request(
      `http://cms.example.com/api/graphql?query=${encodeURIComponent(query)}&locale=en&variables=%7B%7D`,
      {
        headers: {
          Authorization: 'JWT abc',
          Cookie: 'payload-token=abc',
          Accept: 'application/json',
        },
      },
    )
    const post = toGraphQLPost(get, { query, variables: {} })
    expect(post.method).toBe('POST')
    expect(post.url).toBe('http://cms.example.com/api/graphql?locale=en')
    expect(Object.fromEntries(post.headers)).toEqual({
      accept: 'application/json',
      authorization: 'JWT abc',
      'content-type': 'application/json',
      cookie: 'payload-token=abc',
    })
    expect(await post.json()).toEqual({ query, variables: {} })
  })
})
