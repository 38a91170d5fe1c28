import { parse, print, type DocumentNode, type OperationDefinitionNode } from 'graphql'
import { LRUCache } from 'lru-cache'
import * as qs from 'qs-esm'

/**
 * The query parameters Payload reads on a REST read. Anything else a client adds (a cache buster,
 * tracking parameters) changes nothing Payload answers, so it must not split the cache.
 */
export const restReadParameters = [
  'depth',
  'draft',
  'fallback-locale',
  'fallbackLocale',
  'joins',
  'limit',
  'locale',
  'page',
  'pagination',
  'populate',
  'select',
  'sort',
  'trash',
  'where',
] as const

/** JSON with object keys in order: equal values, equal strings. */
export const stableStringify = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([left], [right]) => (left < right ? -1 : left > right ? 1 : 0))
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${stableStringify(item)}`).join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

/**
 * The parameters of a REST read as Payload parses them (same parser, same limits), without those
 * it ignores: `?b=1&a=2`, `?a=2&b=1` and `?a=%32&b=1&utm_source=x` are one key.
 */
export const canonicalRestQuery = (search: string): string => {
  const parsed = qs.parse(search, {
    allowEmptyArrays: true,
    arrayLimit: 1000,
    depth: 10,
    ignoreQueryPrefix: true,
  }) as Record<string, unknown>
  const kept: Record<string, unknown> = {}
  for (const name of restReadParameters) if (name in parsed) kept[name] = parsed[name]
  return stableStringify(kept)
}

export type GraphQLRead = { query: string; variables?: unknown; operationName?: unknown }

const selectedOperation = (
  document: DocumentNode,
  operationName: unknown,
): OperationDefinitionNode | undefined => {
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === 'OperationDefinition',
  )
  if (typeof operationName === 'string')
    return operations.find((operation) => operation.name?.value === operationName)
  return operations.length === 1 ? operations[0] : undefined
}

/**
 * The printed document of a query that could be cached, or null: a mutation, a subscription, or a
 * document that does not parse or does not say which operation to run.
 */
const printCacheableQuery = (query: string, operationName: unknown): string | null => {
  let document: DocumentNode
  try {
    document = parse(query)
  } catch {
    return null
  }
  const operation = selectedOperation(document, operationName)
  return operation?.operation === 'query' ? print(document) : null
}

/**
 * Documents already printed, by their text and operation name: frontends send the same few
 * queries again and again, and parsing and printing one costs more than answering it from cache.
 */
const printedQueries = new LRUCache<string, { printed: string | null }>({ max: 1000 })

/**
 * The key of a GraphQL read: the document as `graphql` prints it (whitespace, commas and comments
 * do not split the cache), its variables with keys in order, and the operation name. Undefined
 * when it is no query that could be cached: a mutation, a subscription, or a document that does
 * not parse or does not say which operation to run (GraphQL answers those with an error anyway).
 */
export const graphQLReadKey = ({ query, variables, operationName }: GraphQLRead) => {
  const memoKey = `${typeof operationName === 'string' ? operationName : ''}\n${query}`
  let memo = printedQueries.get(memoKey)
  if (!memo) {
    memo = { printed: printCacheableQuery(query, operationName) }
    printedQueries.set(memoKey, memo)
  }
  if (memo.printed === null) return undefined
  return stableStringify({
    query: memo.printed,
    variables: variables ?? {},
    operationName: operationName ?? null,
  })
}

/**
 * `Origin` as far as it shapes an answer: Payload's CORS headers name the origin only when it is
 * one of the allowed ones; every other origin gets the same answer.
 */
export const corsOriginKey = (origin: string | undefined, cors: unknown): string => {
  if (!origin || cors === '*' || !cors) return ''
  const origins = Array.isArray(cors)
    ? cors
    : typeof cors === 'object' && 'origins' in cors
      ? (cors as { origins: unknown }).origins
      : undefined
  if (origins === '*') return ''
  return Array.isArray(origins) && origins.includes(origin) ? origin : ''
}
