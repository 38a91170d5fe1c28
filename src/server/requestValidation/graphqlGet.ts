import { getOperationAST, GraphQLError, parse, type DocumentNode } from 'graphql'

import { checkGraphQLRequestBody } from './graphqlRequest'
import { findJsonValueProblem } from './jsonBody'
import { hasMalformedPercentEncoding, malformedQueryMessage } from './percentEncoding'
import { isRejection, reject, type Rejection } from './rejection'

/** The URL parameters of a GraphQL GET (GraphQL over HTTP); any others stay in the URL. */
const graphQLParameters = ['query', 'variables', 'operationName', 'extensions'] as const

/** The parameters that hold URL-encoded JSON rather than text. */
const jsonParameters = new Set<string>(['variables', 'extensions'])

/** A GraphQL GET's parameters as the JSON body of the equivalent POST. */
export type GraphQLGetBody = Record<string, unknown> & { query: string; operationName?: string }

const noQuery = reject(
  400,
  'The request has no query: send the GraphQL document in the query parameter (GET /api/graphql?query=…), or POST it as application/json.',
)

/** One parameter's value: text, or parsed JSON; a rejection when it is repeated or unreadable. */
const readParameter = (url: URL, name: string): unknown => {
  const values = url.searchParams.getAll(name)
  if (values.length > 1) {
    // Caches, proxies and servers disagree on which of several values counts.
    return reject(400, `${name} is in the URL more than once: give it once.`)
  }
  if (values.length === 0 || !jsonParameters.has(name)) return values[0]
  try {
    return JSON.parse(values[0])
  } catch {
    return reject(400, `${name} is not valid JSON: give it as a URL-encoded JSON object.`)
  }
}

/**
 * Reads a GraphQL GET's parameters into the body its POST would send — `query` and
 * `operationName` as text, `variables` and `extensions` parsed from their JSON — and holds it to
 * the rules a POST body is held to: the JSON limits, the fields' types, the document's size.
 */
export const readGraphQLGetBody = (url: URL): GraphQLGetBody | Rejection => {
  if (hasMalformedPercentEncoding(url.search)) return reject(400, malformedQueryMessage)
  const body: Record<string, unknown> = {}
  for (const name of graphQLParameters) {
    const value = readParameter(url, name)
    if (isRejection(value)) return value
    if (value !== undefined) body[name] = value
  }
  if (body.query === undefined) return noQuery
  return (
    findJsonValueProblem(body, 'The query string') ??
    checkGraphQLRequestBody(body) ??
    (body as GraphQLGetBody)
  )
}

/**
 * Refuses a GET whose operation is not a query: GET is for reads (GraphQL over HTTP), so a link,
 * an image or a cached URL can never change anything. The operation is selected as the executor
 * selects it, from the same document and `operationName`. A document that does not parse gets
 * the parser's error, as over POST; one whose operation cannot be selected (an unknown name,
 * several operations and no name) is passed on, and the executor refuses it and says why, without
 * running anything. Runs after {@link readGraphQLGetBody}, whose size check keeps the recursive
 * parser from overflowing the stack.
 */
export const checkGraphQLGetOperation = ({
  query,
  operationName,
}: GraphQLGetBody): Rejection | undefined => {
  let document: DocumentNode
  try {
    document = parse(query)
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error
    return reject(400, error.message, { locations: error.locations })
  }
  const operation = getOperationAST(document, operationName)?.operation
  if (operation === undefined || operation === 'query') return undefined
  return reject(
    405,
    `Only queries can be sent over GET: send this ${operation} by POST, as application/json {"query": "…", "variables": {…}}.`,
    { allow: 'POST' },
  )
}

/**
 * The POST a checked GraphQL GET stands for, for Payload's handler, which reads GraphQL from a
 * JSON body only: the same headers (the sign-in cookie or token included), the URL without the
 * GraphQL parameters, which become the body.
 */
export const toGraphQLPost = (request: Request, body: GraphQLGetBody): Request => {
  const url = new URL(request.url)
  for (const name of graphQLParameters) url.searchParams.delete(name)
  const headers = new Headers(request.headers)
  headers.set('content-type', 'application/json')
  headers.delete('content-length')
  return new Request(url, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
    signal: request.signal,
  })
}
