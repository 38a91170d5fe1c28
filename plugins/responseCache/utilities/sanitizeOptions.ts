import type { Config } from 'payload'

import { defaultChannel, defaultStaleGraceSeconds, defaultTtlSeconds } from '../defaults'
import type { ResponseCachePluginOptions, SanitizedResponseCacheOptions } from '../types'

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
})
