import type { Payload } from 'payload'
import { describe, expect, it } from 'vitest'

import type { EdgePurgeRequest } from '../types'
import { createEdgePurgeRequests } from './edgePurge'

const createHarness = (purgeEdge?: (request: EdgePurgeRequest) => void) => {
  const errors: unknown[] = []
  const payload = {
    logger: { error: (fields: unknown) => errors.push(fields) },
  } as unknown as Payload
  const requests = createEdgePurgeRequests(payload, {
    purgeEdge,
    watchedCollections: new Set(['items', 'media']),
    watchedGlobals: new Set(['settings']),
  })
  return { errors, payload, requests }
}

describe('edge purge requests', () => {
  it('should ask for the keys of an own committed change, with their coarse cover', () => {
    const asked: EdgePurgeRequest[] = []
    const { payload, requests } = createHarness((request) => asked.push(request))
    requests.purgeOwnChange({ collection: 'items', id: 3, fields: ['price'] })
    expect(asked).toEqual([
      {
        payload,
        reason: 'change',
        change: { collection: 'items', id: 3, fields: ['price'] },
        keys: ['d:items:3', 'd:items:*', 'l:items:*', 'l:items:price'],
        coarseKeys: ['c:items'],
      },
    ])
  })

  it('should ask for everything the caches cover after a reconnect or a gap', () => {
    const asked: EdgePurgeRequest[] = []
    const { requests } = createHarness((request) => asked.push(request))
    requests.purgeEverything('reconnect')
    requests.purgeOwnChange(undefined)
    expect(asked.map(({ reason, keys, coarseKeys }) => ({ reason, keys, coarseKeys }))).toEqual([
      {
        reason: 'reconnect',
        keys: ['c:items', 'c:media', 'g:settings'],
        coarseKeys: ['c:items', 'c:media', 'g:settings'],
      },
      {
        reason: 'change',
        keys: ['c:items', 'c:media', 'g:settings'],
        coarseKeys: ['c:items', 'c:media', 'g:settings'],
      },
    ])
  })

  it('should log a purger that throws instead of letting it stop the listener', () => {
    const { errors, requests } = createHarness(() => {
      throw new Error('purger broke')
    })
    expect(() => requests.purgeOwnChange({ global: 'settings' })).not.toThrow()
    expect(errors).toEqual([expect.objectContaining({ msg: 'Asking for a CDN purge failed' })])
  })

  it('should do nothing without a purger', () => {
    const { errors, requests } = createHarness()
    requests.purgeOwnChange({ collection: 'items', id: 1 })
    requests.purgeEverything('gap')
    expect(errors).toEqual([])
  })
})
