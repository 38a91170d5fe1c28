import type { Payload } from 'payload'

import { unclaimedFilesMs } from '../defaults'
import type { CdnPurgePluginOptions, EdgePurge } from '../types'
import { createCdnPurger, type CdnPurger } from './createCdnPurger'
import { getCdnPurgeState, takeFiles, takeUnclaimedFiles } from './registry'
import { hasPurgeTargets } from './sanitizeOptions'

/**
 * Queues the purge of what the response cache says the edge must drop (hand this to its
 * `purgeEdge` option), with the files the change removed. Does nothing on an instance without a
 * purger.
 */
export const purgeFromCdn = ({ payload, change, keys, coarseKeys }: EdgePurge): void => {
  const state = getCdnPurgeState(payload)
  const files = takeFiles(state, change)
  state.purger?.purge({ keys, coarseKeys, files })
}

/**
 * Makes `purger` the one this instance purges through, in place of the one its options made:
 * for tests that start the purge targets after the config is loaded, or a purger built elsewhere.
 */
export const useCdnPurger = (payload: Payload, purger: CdnPurger | undefined): void => {
  getCdnPurgeState(payload).purger = purger
}

/**
 * Sends what is queued (for up to `timeoutMs`) and stops the instance's purger. Call it after
 * the response cache's listener has stopped, before `payload.destroy()`.
 */
export const stopCdnPurge = async (
  payload: Payload,
  options?: { timeoutMs?: number },
): Promise<void> => {
  const state = getCdnPurgeState(payload)
  clearInterval(state.sweepTimer)
  state.sweepTimer = undefined
  const purger = state.purger
  state.purger = undefined
  await purger?.stop(options)
}

/** The instance's purger, from `onInit`; none when no target is configured. */
export const startCdnPurge = (payload: Payload, options: CdnPurgePluginOptions) => {
  const state = getCdnPurgeState(payload)
  const { targets, files, disabled: _disabled, ...settings } = options
  if (targets && hasPurgeTargets(targets))
    state.purger = createCdnPurger({ ...settings, targets, logger: payload.logger })
  if (!files) return
  state.sweepTimer = setInterval(() => {
    const unclaimed = takeUnclaimedFiles(state)
    if (unclaimed.length > 0) state.purger?.purge({ keys: [], coarseKeys: [], files: unclaimed })
  }, unclaimedFilesMs / 2).unref()
}
