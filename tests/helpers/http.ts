import * as graphqlRoute from '../../src/app/(payload)/api/graphql/route'
import { createRestRouteHandlers } from '../../src/server/requestValidation/restRoutes'

import { config } from './payload'

/**
 * Calls the app's real REST and GraphQL route handlers (the ones in src/app/(payload)/api) with
 * real `Request` objects: status codes, headers and bodies are exactly what a client would get,
 * without starting a server.
 */
const restHandlers = createRestRouteHandlers(config)

const baseUrl = 'http://localhost:3000'

type RequestOptions = {
  token?: string
  body?: unknown
  formData?: FormData
  headers?: Record<string, string>
}

const buildRequest = (method: string, path: string, options: RequestOptions = {}) => {
  const headers = new Headers(options.headers)
  if (options.token) headers.set('Authorization', `JWT ${options.token}`)
  let body: BodyInit | undefined
  if (options.formData) {
    body = options.formData
  } else if (options.body !== undefined) {
    headers.set('Content-Type', 'application/json')
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body)
  }
  return new Request(`${baseUrl}${path}`, { method, headers, body })
}

/** Routes a Request to the app's REST or GraphQL handler, as Next.js routing would. */
export const handleApiRequest = (request: Request): Promise<Response> => {
  const { pathname } = new URL(request.url)
  if (pathname === '/api/graphql') {
    // As Next.js does for a route file: the export named after the method, else an empty 405.
    const graphqlHandler = graphqlRoute[request.method as keyof typeof graphqlRoute] as
      ((request: Request) => Promise<Response>) | undefined
    return graphqlHandler
      ? graphqlHandler(request)
      : Promise.resolve(new Response(null, { status: 405 }))
  }
  const handler = restHandlers[request.method as keyof typeof restHandlers]
  if (!handler) return Promise.resolve(new Response(null, { status: 405 }))
  // As Next.js does for a catch-all route: split on "/", then decode each segment.
  const slug = pathname
    .replace(/^\/api\//, '')
    .split('/')
    .map((segment) => decodeURIComponent(segment))
  return handler(request, { params: Promise.resolve({ slug }) })
}

export const rest = (
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  options?: RequestOptions,
): Promise<Response> => handleApiRequest(buildRequest(method, path, options))

export const graphql = (
  query: string,
  options: Omit<RequestOptions, 'body' | 'formData'> & { variables?: Record<string, unknown> } = {},
): Promise<Response> =>
  graphqlRoute.POST(
    buildRequest('POST', '/api/graphql', {
      ...options,
      body: { query, variables: options.variables },
    }),
  )

/** Logs in through REST and returns the JWT, as a frontend or script would. */
export const loginToken = async (email: string, password: string): Promise<string> => {
  const response = await rest('POST', '/api/users/login', { body: { email, password } })
  if (response.status !== 200) throw new Error(`login failed with ${response.status}`)
  const { token } = (await response.json()) as { token: string }
  return token
}
