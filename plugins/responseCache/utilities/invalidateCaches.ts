import type { Payload } from 'payload'

import type { CacheChange, SanitizedResponseCacheOptions } from '../types'
import type { CacheEvent } from './responseCache'
import { changedSlug } from './changes'
import { getCacheRegistry } from './registry'

type InvalidationOrigin = Extract<CacheEvent, { type: 'invalidate' }>['origin']

/**
 * Marks every cache of the instance stale and calls `revalidate`. Without a change (or with one
 * nobody could attribute) every cache rebuilds fully, and no tag is given: anything may have
 * changed. Cheap and idempotent, as it runs before and again after the commit.
 */
export const invalidateCaches = ({
  payload,
  options,
  origin,
  change,
}: {
  payload: Payload
  options: Pick<SanitizedResponseCacheOptions, 'revalidate'>
  origin: InvalidationOrigin
  change: CacheChange | undefined
}) => {
  const registry = getCacheRegistry(payload)
  for (const registered of registry.caches.values()) registered.cache.invalidate(origin, change)
  if (change) registry.reads?.store.applyChange(change)
  else registry.reads?.store.clear()
  const tags = change ? [changedSlug(change)] : []
  void Promise.resolve(options.revalidate?.({ tags })).catch(() => undefined)
}

/**
 * A change made on this replica: its caches go stale at once. The change is passed on only when
 * the listener is up; without it no NOTIFY follows the commit to discard a rebuild that read the
 * data before it, so the caches then rebuild fully.
 */
export const invalidateLocally = (
  payload: Payload,
  change: CacheChange,
  options: Pick<SanitizedResponseCacheOptions, 'revalidate'>,
) =>
  invalidateCaches({
    payload,
    options,
    origin: 'local',
    change: getCacheRegistry(payload).hasListener ? change : undefined,
  })
