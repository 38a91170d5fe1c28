import type { ResponseCache } from './responseCache'

export type RegisteredCache = { cache: ResponseCache; cacheControl: string }

const registryKey = Symbol.for('payload-ops.cached-endpoints')
type RegistryHolder = { [registryKey]?: Map<string, RegisteredCache> }

/**
 * The cached endpoints of this process, by API path. On globalThis because a custom HTTP server
 * (which answers cache hits without entering Next.js) and Payload load in different module graphs.
 */
export const getCacheRegistry = (): Map<string, RegisteredCache> => {
  const holder = globalThis as RegistryHolder
  holder[registryKey] ??= new Map()
  return holder[registryKey]
}
