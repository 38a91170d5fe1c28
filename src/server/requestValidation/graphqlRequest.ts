import { GraphQLError, Lexer, Source, TokenKind } from 'graphql'

import { isPlainObject } from '../../../plugins/pluginKit'
import { graphQLMaxNesting, graphQLMaxTokens } from '../../config/graphql/graphqlLimits'
import { reject, type Rejection } from './rejection'

const openingTokens = new Set<TokenKind>([
  TokenKind.BRACE_L,
  TokenKind.BRACKET_L,
  TokenKind.PAREN_L,
])
const closingTokens = new Set<TokenKind>([
  TokenKind.BRACE_R,
  TokenKind.BRACKET_R,
  TokenKind.PAREN_R,
])

/**
 * Whether a document is too large or too deeply nested to parse. The parser recurses once per
 * bracket, so a query of a few thousand `{` overflowed the stack and came back as "Maximum call
 * stack size exceeded". Counted with the lexer, which does not recurse, before anything parses.
 * A document the lexer cannot read is left to the parser, whose syntax error says where.
 */
export const findDocumentSizeProblem = (query: string): string | undefined => {
  const lexer = new Lexer(new Source(query))
  let tokens = 0
  let nesting = 0
  try {
    for (let token = lexer.advance(); token.kind !== TokenKind.EOF; token = lexer.advance()) {
      tokens += 1
      if (tokens > graphQLMaxTokens) {
        return `The query has more than ${graphQLMaxTokens} tokens: split it, or send large values as variables.`
      }
      if (openingTokens.has(token.kind)) nesting += 1
      else if (closingTokens.has(token.kind)) nesting -= 1
      if (nesting > graphQLMaxNesting) {
        return `The query nests brackets more than ${graphQLMaxNesting} levels deep.`
      }
    }
  } catch (error) {
    if (error instanceof GraphQLError) return undefined
    throw error
  }
  return undefined
}

const isObjectOrAbsent = (value: unknown): boolean =>
  value === undefined || value === null || isPlainObject(value)

/**
 * The fields of a GraphQL-over-HTTP request body, checked before Payload's handler reads them:
 * that handler refuses them too, with messages such as "Invalid variables" that do not say what to
 * send instead.
 */
export const checkGraphQLRequestBody = (body: Record<string, unknown>): Rejection | undefined => {
  const { query, variables, operationName, extensions } = body
  if (query === undefined || query === null) {
    return reject(400, 'The request has no query: send {"query": "…"} with a GraphQL document.')
  }
  if (typeof query !== 'string') {
    return reject(400, 'query must be a string holding a GraphQL document.')
  }
  if (!isObjectOrAbsent(variables)) {
    return reject(400, 'variables must be a JSON object of variable values keyed by name.')
  }
  if (operationName !== undefined && operationName !== null && typeof operationName !== 'string') {
    return reject(400, 'operationName must be a string naming an operation of the query.')
  }
  if (!isObjectOrAbsent(extensions)) {
    return reject(400, 'extensions must be a JSON object.')
  }
  const sizeProblem = findDocumentSizeProblem(query)
  return sizeProblem ? reject(400, sizeProblem) : undefined
}
