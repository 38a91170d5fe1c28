import { buildVersionCollectionFields, type FlattenedField, type SanitizedConfig } from 'payload'
import * as qs from 'qs-esm'

import { maxPageSize, signedInMaxPageSize } from '../../config/graphql/graphqlLimits'
import { requestIdHeader } from '../observability/requestId'
import { hasCredentials } from '../security/privateResponses'
import { documentIdMessage, isDocumentIdText } from './documentId'
import { checkGraphQLGetOperation, readGraphQLGetBody, toGraphQLPost } from './graphqlGet'
import { checkGraphQLRequestBody } from './graphqlRequest'
import { getContentKind, hasMultipartBoundary, parseJsonObject, readBodyText } from './jsonBody'
import { checkCookieGetSite, checkCookieOrigin, type OriginPolicy } from './origin'
import { hasMalformedPercentEncoding, malformedQueryMessage } from './percentEncoding'
import { findQueryProblem } from './queryParams'
import { isRejection, reject, type Rejection } from './rejection'
import { createRouteResolver, type ResolvedRoute, type RouteResolver } from './route'
import { createSchema, type Schema } from './schema'

type RouteArgs = { params: Promise<{ slug?: string[] }> }
type RestRouteHandler = (request: Request, args: RouteArgs) => Promise<Response>
type GraphQLRouteHandler = (request: Request) => Promise<Response>
type ConfigPromise = Promise<SanitizedConfig> | SanitizedConfig

/** Payload's own query-string parsing, so the checked query is exactly the one it will read. */
const parseQuery = (search: string) =>
  qs.parse(search, { allowEmptyArrays: true, arrayLimit: 1000, depth: 10, ignoreQueryPrefix: true })

const methodOverrideHeaders = ['x-payload-http-method-override', 'x-http-method-override']

const bodyMethods = new Set(['POST', 'PATCH', 'PUT'])

/** Endpoints whose `:id` is not a document id: email verification takes a token there. */
const tokenIdPaths = new Set(['/verify/:id'])

const unsupportedBody = reject(
  415,
  'Send the request body as application/json (or multipart/form-data with a _payload field, for uploads).',
)

type Prepared = {
  schema: Schema
  versionFields: Map<string, FlattenedField[]>
  resolveRoute: RouteResolver
  originPolicy: OriginPolicy
}
const prepared = new WeakMap<SanitizedConfig, Prepared>()

/**
 * Payload's `cors` as a list of origins: CORS_ORIGINS, given either as the list itself or as
 * `{ origins, headers }`. `*` lists no origin here: browsers send no cookie to a wildcard.
 */
const corsOrigins = ({ cors }: SanitizedConfig): readonly string[] => {
  const origins = typeof cors === 'object' && !Array.isArray(cors) ? cors.origins : cors
  return Array.isArray(origins) ? origins : []
}

const prepare = (config: SanitizedConfig): Prepared => {
  let entry = prepared.get(config)
  if (!entry) {
    const versionFields = new Map(
      config.collections
        .filter((collection) => collection.versions)
        .map((collection) => [
          collection.slug,
          buildVersionCollectionFields(config, collection, true) as FlattenedField[],
        ]),
    )
    entry = {
      schema: createSchema(config),
      versionFields,
      resolveRoute: createRouteResolver(config),
      originPolicy: {
        allowedOrigins: corsOrigins(config),
        cookieName: `${config.cookiePrefix}-token`,
      },
    }
    prepared.set(config, entry)
  }
  return entry
}

/** The create and update routes: without a body they would write a document of defaults. */
const requiresData = (route: ResolvedRoute, method: string): boolean =>
  route.collection
    ? (method === 'POST' && route.endpointPath === '/') ||
      (method === 'PATCH' && (route.endpointPath === '/' || route.endpointPath === '/:id'))
    : Boolean(route.globalSlug) && method === 'POST' && route.endpointPath === '/'

type BodyRule = (body: Record<string, unknown>) => Rejection | undefined

/** JSON bodies must be objects; multipart needs its boundary; nothing else is accepted. */
const checkBody = async (
  request: Request,
  isDataRequired: boolean,
  rule?: BodyRule,
): Promise<Rejection | undefined> => {
  const contentType = request.headers.get('content-type')
  const kind = getContentKind(contentType)
  if (kind === 'multipart') {
    // Payload streams multipart itself, with the upload size limit.
    return hasMultipartBoundary(contentType as string)
      ? undefined
      : reject(400, 'The multipart/form-data body has no boundary in its Content-Type.')
  }
  const text = await readBodyText(request)
  if (isRejection(text)) return text
  if (text.trim() === '') {
    return isDataRequired
      ? reject(400, 'The request body is empty: it must be a JSON object.')
      : undefined
  }
  if (kind !== 'json') return unsupportedBody
  const parsed = parseJsonObject(text)
  return isRejection(parsed) ? parsed : rule?.(parsed)
}

/** Sign-in routes: their credentials are compared and hashed as text, and counted by the limits. */
const credentialPaths = new Set([
  '/login',
  '/forgot-password',
  '/reset-password',
  '/unlock',
  '/first-register',
])
const credentialKeys = ['email', 'username', 'password', 'token']

const credentialsAreText: BodyRule = (body) => {
  const key = credentialKeys.find((name) => name in body && typeof body[name] !== 'string')
  return key ? reject(400, `${key} must be text.`) : undefined
}

/**
 * What a POST with X-Payload-HTTP-Method-Override: GET (the admin's way of sending long queries)
 * really asks for: the query in its form or JSON body. Payload honours only GET; any other value
 * would be silently ignored and the POST routed elsewhere, so it is refused.
 */
const readOverriddenQuery = async (
  request: Request,
  override: string,
): Promise<Record<string, unknown> | Rejection> => {
  if (override !== 'GET') {
    return reject(400, 'X-Payload-HTTP-Method-Override can only turn a POST into a GET.')
  }
  const kind = getContentKind(request.headers.get('content-type'))
  const text = await readBodyText(request)
  if (isRejection(text)) return text
  if (text.trim() === '') return {}
  if (kind === 'form') {
    if (hasMalformedPercentEncoding(text)) {
      return reject(400, 'The form body has a malformed percent-escape.')
    }
    return parseQuery(text)
  }
  if (kind === 'json') return parseJsonObject(text)
  return reject(
    415,
    'With X-Payload-HTTP-Method-Override, send the query as application/x-www-form-urlencoded or JSON.',
  )
}

type ValidateRestArgs = { request: Request; segments: string[]; config: SanitizedConfig }

/**
 * Every check that must pass before a REST request reaches Payload: the sign-in cookie's origin,
 * the method override, path ids, query parameters, and the body's type and shape. Returns why the
 * request is refused, or undefined to let it through unchanged.
 */
export const validateRestRequest = async ({
  request,
  segments,
  config,
}: ValidateRestArgs): Promise<Rejection | undefined> => {
  const { schema, versionFields, resolveRoute, originPolicy } = prepare(config)
  const originRejection = checkCookieOrigin(request, originPolicy)
  if (originRejection) return originRejection

  const search = new URL(request.url).search
  if (hasMalformedPercentEncoding(search)) {
    return reject(400, malformedQueryMessage)
  }

  let method = request.method
  let overriddenQuery: Record<string, unknown> = {}
  const override = methodOverrideHeaders
    .map((name) => request.headers.get(name))
    .find((value) => value !== null)
  if (override !== undefined && override !== null && method === 'POST') {
    const query = await readOverriddenQuery(request, override)
    if (isRejection(query)) return query
    overriddenQuery = query
    method = 'GET'
  }

  const route = resolveRoute(segments, method)
  const { collection } = route
  const slug = collection?.slug
  if (!slug && !route.globalSlug)
    return bodyMethods.has(method) ? checkBody(request, false) : undefined

  const hasDocumentId = 'id' in route.params && !tokenIdPaths.has(route.endpointPath ?? '')
  if (hasDocumentId && (!slug || schema.hasNumericIds(slug))) {
    if (!isDocumentIdText(route.params.id)) {
      return reject(400, `The id in the path is not a valid document id: ${documentIdMessage}.`)
    }
  }

  if (route.endpointPath === '/verify/:id' && !collection?.auth?.verify) {
    // Payload keeps the route even when verification is off, and then fails with a 500.
    return reject(404, `Email verification is not enabled for ${slug}.`)
  }

  const isVersionsRoute = route.endpointPath?.startsWith('/versions') ?? false
  const queryProblem = findQueryProblem(
    { ...parseQuery(search), ...overriddenQuery },
    {
      schema,
      collectionSlug: slug,
      fields: slug
        ? isVersionsRoute
          ? versionFields.get(slug)
          : schema.fieldsOf(slug)
        : undefined,
      maxDepth: config.maxDepth,
      allowsUnlimited: (method === 'PATCH' || method === 'DELETE') && route.endpointPath === '/',
      maxLimit: hasCredentials({
        authorization: request.headers.get('authorization') ?? undefined,
        cookie: request.headers.get('cookie') ?? undefined,
      })
        ? signedInMaxPageSize
        : maxPageSize,
    },
  )
  if (queryProblem) return reject(400, queryProblem)

  if (!bodyMethods.has(method)) return undefined
  const isSignIn = Boolean(collection?.auth) && credentialPaths.has(route.endpointPath ?? '')
  return checkBody(request, requiresData(route, method), isSignIn ? credentialsAreText : undefined)
}

/** The error shape Payload uses, with the request id and, for listed origins, CORS headers. */
const rejectionResponse = (
  { status, message, locations, allow }: Rejection,
  request: Request,
  config: SanitizedConfig,
): Response => {
  const headers = new Headers({ 'Cache-Control': 'no-store' })
  if (allow) headers.set('Allow', allow)
  const origin = request.headers.get('origin')
  if (origin && prepare(config).originPolicy.allowedOrigins.includes(origin)) {
    headers.set('Access-Control-Allow-Origin', origin)
    headers.set('Access-Control-Allow-Credentials', 'true')
    headers.set('Vary', 'Origin')
  }
  const requestId = request.headers.get(requestIdHeader)
  return Response.json(
    {
      errors: [{ message, ...(locations ? { locations } : {}) }],
      ...(requestId ? { requestId } : {}),
    },
    { status, headers },
  )
}

const graphQLContentTypeRejection = reject(
  415,
  'Send GraphQL requests as application/json: {"query": "…", "variables": {…}}.',
)

/** Wraps one of Payload's REST route handlers with {@link validateRestRequest}. */
export const withRestValidation =
  (configPromise: ConfigPromise, handler: RestRouteHandler): RestRouteHandler =>
  async (request, args) => {
    const config = await configPromise
    const segments = (await args.params)?.slug ?? []
    const rejection = await validateRestRequest({ request, segments, config })
    if (rejection) return rejectionResponse(rejection, request, config)
    return withErrorsShape(await handler(request, args))
  }

/**
 * Payload answers an unknown route with `{"message": …}`; every other error of the API, and every
 * client, expects `{"errors": [{"message": …}]}`.
 */
const withErrorsShape = async (response: Response): Promise<Response> => {
  if (response.status !== 404 || !response.headers.get('content-type')?.includes('json')) {
    return response
  }
  const text = await response.text()
  let body: { message?: unknown; errors?: unknown } = {}
  try {
    body = JSON.parse(text) as typeof body
  } catch {
    // Not the shape this is about; passed on as it came.
  }
  const reshaped =
    typeof body.message === 'string' && body.errors === undefined
      ? JSON.stringify({ errors: [{ message: body.message }] })
      : text
  const headers = new Headers(response.headers)
  headers.delete('content-length')
  return new Response(reshaped, { status: response.status, headers })
}

/**
 * A GraphQL GET, checked as its POST would be, then turned into that POST; or why it is refused.
 * Next.js answers a HEAD with the GET handler.
 */
const checkGraphQLGet = (request: Request, originPolicy: OriginPolicy): Request | Rejection => {
  const siteRejection = checkCookieGetSite(request, originPolicy)
  if (siteRejection) return siteRejection
  const body = readGraphQLGetBody(new URL(request.url))
  if (isRejection(body)) return body
  return checkGraphQLGetOperation(body) ?? toGraphQLPost(request, body)
}

/** A GraphQL POST whose body passes the checks, or why it is refused. */
const checkGraphQLPost = async (request: Request): Promise<Request | Rejection> => {
  if (getContentKind(request.headers.get('content-type')) !== 'json') {
    return graphQLContentTypeRejection
  }
  return (await checkBody(request, true, checkGraphQLRequestBody)) ?? request
}

/**
 * Wraps the GraphQL route handler, for GET and POST alike: the same cookie-origin rule, and a body
 * that is a JSON object within the size limit (Payload's handler answers anything else with a 500
 * or an empty 415) whose `query`, `variables`, `operationName` and `extensions` have their types
 * and whose document is within the token and nesting limits. A GET's URL parameters are held to
 * the same rules, checked once here and handed to Payload's handler as the equivalent POST; only
 * queries may come that way.
 */
export const withGraphQLValidation =
  (configPromise: ConfigPromise, handler: GraphQLRouteHandler): GraphQLRouteHandler =>
  async (request) => {
    const config = await configPromise
    const { originPolicy } = prepare(config)
    const isGet = request.method === 'GET' || request.method === 'HEAD'
    const checked =
      checkCookieOrigin(request, originPolicy) ??
      (isGet ? checkGraphQLGet(request, originPolicy) : await checkGraphQLPost(request))
    if (isRejection(checked)) return rejectionResponse(checked, request, config)
    return handler(checked)
  }

const methodNotAllowed = reject(
  405,
  'GraphQL takes queries over GET (GET /api/graphql?query=…) and every operation over POST, as application/json {"query": "…", "variables": {…}}.',
  { allow: 'GET, POST' },
)

/**
 * The GraphQL route's answer to the methods GraphQL over HTTP does not use (PUT, PATCH, DELETE),
 * where Next.js answered 405 with no body at all.
 */
export const graphQLMethodNotAllowed =
  (configPromise: ConfigPromise): GraphQLRouteHandler =>
  async (request) =>
    rejectionResponse(methodNotAllowed, request, await configPromise)
