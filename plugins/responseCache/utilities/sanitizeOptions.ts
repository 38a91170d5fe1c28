import type { Config } from 'payload'

import {
  defaultCacheControl,
  defaultChannel,
  defaultMaxQueryBodyBytes,
  defaultReadCacheEntryShare,
  defaultReadCacheMaxBytes,
  defaultStaleGraceSeconds,
  defaultTtlSeconds,
} from '../defaults'
import type { ResponseCachePluginOptions, SanitizedResponseCacheOptions } from '../types'
import { defaultSurrogateKeyLimits } from './surrogateKeys'

/** Every default applied once, against the config the plugin was given. */
export const sanitizeOptions = (
  options: ResponseCachePluginOptions,
  incoming: Config,
): SanitizedResponseCacheOptions => ({
  isDisabled: Boolean(options.disabled),
  endpoints: options.endpoints ?? [],
  watchedCollections: new Set(
    options.collections ?? (incoming.collections ?? []).map((collection) => collection.slug),
  ),
  watchedGlobals: new Set(options.globals ?? (incoming.globals ?? []).map((global) => global.slug)),
  ttlMs: (options.ttlSeconds ?? defaultTtlSeconds) * 1000,
  graceMs: (options.staleGraceSeconds ?? defaultStaleGraceSeconds) * 1000,
  channel: options.channel ?? defaultChannel,
  revalidate: options.revalidate,
  onEvent: options.onEvent,
  surrogateKeys: options.surrogateKeys?.disabled
    ? undefined
    : {
        ...defaultSurrogateKeyLimits,
        maxHeaderBytes:
          options.surrogateKeys?.maxHeaderBytes ?? defaultSurrogateKeyLimits.maxHeaderBytes,
      },
  purgeEdge: options.purgeEdge,
  reads: sanitizeReadOptions(options),
})

const sanitizeReadOptions = ({
  disabled,
  reads = {},
}: ResponseCachePluginOptions): SanitizedResponseCacheOptions['reads'] => {
  const maxBytes = reads.maxBytes ?? defaultReadCacheMaxBytes
  return {
    isEnabled: !disabled && !reads.disabled,
    maxBytes,
    maxEntryBytes: Math.min(
      reads.maxEntryBytes ?? Math.floor(maxBytes / defaultReadCacheEntryShare),
      maxBytes,
    ),
    cacheControl: reads.cacheControl ?? defaultCacheControl,
    excludedCollections: new Set(reads.excludeCollections ?? []),
    paths: reads.paths ?? [],
    maxQueryBodyBytes: reads.maxQueryBodyBytes ?? defaultMaxQueryBodyBytes,
    onEvent: reads.onEvent ?? (() => undefined),
  }
}
