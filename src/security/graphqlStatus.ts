type RouteHandler = (request: Request) => Promise<Response>

type GraphQLBody = {
  data?: unknown
  errors?: { extensions?: { statusCode?: unknown } }[]
}

const clientErrorStatus = (status: unknown): number | undefined =>
  typeof status === 'number' && status >= 400 && status < 500 ? status : undefined

/**
 * The status of an answer where nothing ran, or undefined when something did. With no `data` at
 * all the request was refused before it ran: the first error's 4xx, or 400 for a query that failed
 * validation. When every root field is null and every error is a client error (a validation error,
 * a missing document, access denied), the operation did nothing either: the first error's status.
 */
const refusalStatus = ({ data, errors = [] }: GraphQLBody): number | undefined => {
  if (errors.length === 0) return undefined
  const statuses = errors.map((error) => clientErrorStatus(error.extensions?.statusCode))
  if (data === undefined || data === null) return statuses[0] ?? 400
  const isEveryRootFieldNull =
    typeof data === 'object' && Object.values(data).every((value) => value === null)
  return isEveryRootFieldNull && statuses.every((status) => status !== undefined)
    ? statuses[0]
    : undefined
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
    if (response.status !== 200) return response
    if (response.headers.has('retry-after')) {
      return new Response(response.body, { status: 429, headers: response.headers })
    }
    let text = await response.text()
    // Only answers that may have no data are parsed (errors first, a bare list, or null data), so
    // a successful query is not decoded a second time on its way out.
    const mayBeRefused = ['[', '{"errors"', '{"data":null'].some((start) => text.startsWith(start))
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
    const status = refusalStatus(body) ?? response.status
    const headers = new Headers(response.headers)
    headers.delete('content-length')
    return new Response(text, { status, headers })
  }
