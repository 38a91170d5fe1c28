import { documentLimitErrorName } from '../../../plugins/graphqlDocumentBudget'

type RouteHandler = (request: Request) => Promise<Response>

type GraphQLBody = {
  data?: unknown
  errors?: { extensions?: { statusCode?: unknown; name?: unknown } }[]
}

const errorStatus = (status: unknown): number | undefined =>
  typeof status === 'number' && status >= 400 && status < 600 ? status : undefined

/**
 * The status of an answer where nothing ran, or undefined when something did. With no `data` at
 * all the request was refused before it ran: the first error's status, or 400 for a query that
 * failed validation. When every root field is null and every error has a status — a client error
 * (a validation error, a missing document, access denied) or a server error (503: the database is
 * unavailable) — the operation did nothing either: the first error's status, so monitoring counts
 * refusals and failures apart.
 */
const refusalStatus = ({ data, errors = [] }: GraphQLBody): number | undefined => {
  if (errors.length === 0) return undefined
  const statuses = errors.map((error) => errorStatus(error.extensions?.statusCode))
  if (data === undefined || data === null) return statuses[0] ?? 400
  const isEveryRootFieldNull =
    typeof data === 'object' && Object.values(data).every((value) => value === null)
  return isEveryRootFieldNull && statuses.every((status) => status !== undefined)
    ? statuses[0]
    : undefined
}

/**
 * A request stopped at run time for reading too many documents is refused as a whole, like one
 * refused before it ran: 400, its one error, and none of the partial data read until then.
 */
const documentLimitRefusal = ({ errors = [] }: GraphQLBody): GraphQLBody | undefined => {
  const error = errors.find((candidate) => candidate.extensions?.name === documentLimitErrorName)
  return error ? { errors: [error] } : undefined
}

/** What the GraphQL-over-HTTP handler means by the statuses it answers with no body. */
const bodilessStatusMessages: Record<number, string> = {
  406: 'The GraphQL endpoint answers in JSON: accept application/json or application/graphql-response+json.',
  415: 'Send GraphQL requests as UTF-8 application/json: {"query": "…", "variables": {…}}.',
}

/**
 * Payload's GraphQL handler answers some refusals (an Accept it cannot serve, a charset other than
 * UTF-8) with a status and no body; clients expect every error in the `errors` shape.
 */
const withErrorBody = async (response: Response): Promise<Response> => {
  const text = await response.text()
  if (text.trim() !== '') {
    return new Response(text, { status: response.status, headers: response.headers })
  }
  const message =
    bodilessStatusMessages[response.status] ??
    (response.status >= 500
      ? 'Something went wrong.'
      : `The GraphQL request was refused with HTTP ${response.status}.`)
  const headers = new Headers(response.headers)
  headers.delete('content-length')
  headers.set('content-type', 'application/json; charset=utf-8')
  return new Response(JSON.stringify({ errors: [{ message }] }), {
    status: response.status,
    headers,
  })
}

/**
 * GraphQL over JSON answers 200 even when a request is refused as a whole, so proxies, monitoring
 * and clients' retry logic would see success. Where nothing ran — no `data` at all — the status
 * says what went wrong instead: 429 for a rate-limited operation (the limiter has set Retry-After),
 * or the {@link refusalStatus} of an operation that did nothing. Partial results keep their 200.
 */
export const withGraphQLErrorStatus =
  (handler: RouteHandler): RouteHandler =>
  async (request) => {
    const response = await handler(request)
    if (response.status >= 400) return withErrorBody(response)
    if (response.status !== 200) return response
    if (response.headers.has('retry-after')) {
      return new Response(response.body, { status: 429, headers: response.headers })
    }
    let text = await response.text()
    // Only answers that may have no data are parsed (errors first, a bare list, or null data), so
    // a successful query is not decoded a second time on its way out.
    const mayBeRefused =
      ['[', '{"errors"', '{"data":null'].some((start) => text.startsWith(start)) ||
      text.includes(documentLimitErrorName)
    if (!mayBeRefused) {
      return new Response(text, { status: response.status, headers: response.headers })
    }
    let body: GraphQLBody
    try {
      const parsed = JSON.parse(text) as GraphQLBody | NonNullable<GraphQLBody['errors']>
      // Requests that fail validation come back as a bare list of errors; give them the shape
      // every GraphQL client expects.
      body = Array.isArray(parsed) ? { errors: parsed } : parsed
      if (Array.isArray(parsed)) text = JSON.stringify(body)
    } catch {
      return new Response(text, { status: response.status, headers: response.headers })
    }
    const headers = new Headers(response.headers)
    headers.delete('content-length')
    const refusedAsWhole = documentLimitRefusal(body)
    if (refusedAsWhole) {
      return new Response(JSON.stringify(refusedAsWhole), { status: 400, headers })
    }
    const status = refusalStatus(body) ?? response.status
    return new Response(text, { status, headers })
  }
