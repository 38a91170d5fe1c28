import { match, type MatchFunction } from 'path-to-regexp'
import type { Endpoint, SanitizedCollectionConfig, SanitizedConfig } from 'payload'

/** Which Payload endpoint a REST path reaches, found the way Payload's own router finds it. */
export type ResolvedRoute = {
  collection?: SanitizedCollectionConfig
  globalSlug?: string
  /** The endpoint's path pattern (`/`, `/:id`, `/versions/:id`, …); undefined when none matches. */
  endpointPath?: string
  params: Record<string, string>
}

type CompiledEndpoint = {
  method: string
  path: string
  matches: MatchFunction<Record<string, string>>
}

const compileEndpoints = (endpoints: false | Endpoint[] | undefined): CompiledEndpoint[] =>
  (endpoints || []).map((endpoint) => ({
    method: endpoint.method,
    path: endpoint.path,
    matches: match<Record<string, string>>(endpoint.path, { decode: decodeURIComponent }),
  }))

const findEndpoint = (endpoints: CompiledEndpoint[], method: string, path: string) => {
  for (const endpoint of endpoints) {
    if (endpoint.method !== method) continue
    const result = endpoint.matches(path)
    if (result) return { endpointPath: endpoint.path, params: result.params }
  }
  return { params: {} }
}

export type RouteResolver = (segments: string[], method: string) => ResolvedRoute

/**
 * Compiles every collection's and global's endpoint patterns once, and returns the function that
 * resolves a request's route. `segments` are the decoded path segments after /api, as Next.js
 * hands them to the catch-all route. Mirrors Payload's handleEndpoints: /globals/<slug>/… or
 * /<collection>/…, then the first endpoint of that entity whose method and path pattern match.
 */
export const createRouteResolver = (config: SanitizedConfig): RouteResolver => {
  const collections = new Map<
    string,
    { collection: SanitizedCollectionConfig; endpoints: CompiledEndpoint[] }
  >(
    config.collections.map((collection) => [
      collection.slug,
      { collection, endpoints: compileEndpoints(collection.endpoints) },
    ]),
  )
  const globals = new Map<string, CompiledEndpoint[]>(
    config.globals.map((global) => [global.slug, compileEndpoints(global.endpoints)]),
  )
  return (segments, method) => {
    const isGlobal = segments[0] === 'globals'
    const [slug, ...rest] = isGlobal ? segments.slice(1) : segments
    const path = `/${rest.map((segment) => encodeURIComponent(segment)).join('/')}`
    const lowerMethod = method.toLowerCase()
    if (isGlobal) {
      const endpoints = globals.get(slug)
      if (!endpoints) return { params: {} }
      return { globalSlug: slug, ...findEndpoint(endpoints, lowerMethod, path) }
    }
    const entry = collections.get(slug)
    if (!entry) return { params: {} }
    return { collection: entry.collection, ...findEndpoint(entry.endpoints, lowerMethod, path) }
  }
}
