import { describe, expect, it } from 'vitest'

import { graphQLMaxNesting, graphQLMaxTokens } from '../../config/graphql/graphqlLimits'
import { checkGraphQLRequestBody, findDocumentSizeProblem } from './graphqlRequest'

const query = '{ Items { totalDocs } }'

describe('checkGraphQLRequestBody', () => {
  it.each([
    [{}, 400, /no query/],
    [{ query: null }, 400, /no query/],
    [{ query: 42 }, 400, /query must be a string/],
    [{ query: { kind: 'Document' } }, 400, /query must be a string/],
    [{ query, variables: 'x' }, 400, /variables must be a JSON object/],
    [{ query, variables: [1] }, 400, /variables must be a JSON object/],
    [{ query, operationName: 5 }, 400, /operationName must be a string/],
    [{ query, operationName: ['A'] }, 400, /operationName must be a string/],
    [{ query, extensions: 'x' }, 400, /extensions must be a JSON object/],
  ])('should refuse %j', (body, status, message) => {
    const rejection = checkGraphQLRequestBody(body)
    expect(rejection?.status).toBe(status)
    expect(rejection?.message).toMatch(message)
  })

  it.each([
    { query },
    { query, variables: null, operationName: null, extensions: null },
    { query: 'query A { Items { totalDocs } }', variables: { a: 1 }, operationName: 'A' },
    { query, extensions: { persistedQuery: {} } },
  ])('should let %j through', (body) => {
    expect(checkGraphQLRequestBody(body)).toBeUndefined()
  })

  it('should refuse a document past the limits', () => {
    const deep = `${'{ a '.repeat(3000)}${'}'.repeat(3000)}`
    expect(checkGraphQLRequestBody({ query: deep })?.message).toMatch(/levels deep/)
  })
})

describe('findDocumentSizeProblem', () => {
  const nested = (levels: number) => `${'{a'.repeat(levels)}${'}'.repeat(levels)}`

  it(`should allow brackets ${graphQLMaxNesting} deep and refuse one more`, () => {
    expect(findDocumentSizeProblem(nested(graphQLMaxNesting))).toBeUndefined()
    expect(findDocumentSizeProblem(nested(graphQLMaxNesting + 1))).toBe(
      `The query nests brackets more than ${graphQLMaxNesting} levels deep.`,
    )
  })

  it('should count list and argument brackets too', () => {
    const lists = `{ a(b: ${'['.repeat(graphQLMaxNesting)}1${']'.repeat(graphQLMaxNesting)}) }`
    expect(findDocumentSizeProblem(lists)).toMatch(/levels deep/)
  })

  it(`should allow ${graphQLMaxTokens} tokens and refuse one more`, () => {
    // `{`, `}` and the names between them.
    const fields = (count: number) => `{ ${'a '.repeat(count - 2)}}`
    expect(findDocumentSizeProblem(fields(graphQLMaxTokens))).toBeUndefined()
    expect(findDocumentSizeProblem(fields(graphQLMaxTokens + 1))).toMatch(
      new RegExp(`more than ${graphQLMaxTokens} tokens`),
    )
  })

  it('should not count comments, or what a string holds', () => {
    const padded = `# ${'{'.repeat(500)}\n{ a(b: "${'{'.repeat(500)}") }`
    expect(findDocumentSizeProblem(padded)).toBeUndefined()
  })

  it('should leave what the lexer cannot read to the parser', () => {
    expect(findDocumentSizeProblem('{ a(b: "unterminated) }')).toBeUndefined()
    expect(findDocumentSizeProblem('{ a ☃ }')).toBeUndefined()
  })
})
