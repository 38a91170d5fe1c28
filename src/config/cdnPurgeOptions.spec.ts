import { describe, expect, it } from 'vitest'

import { getCatalogCacheOptions, purgedEdgeCacheControl } from '../catalog/catalogCacheOptions'
import {
  getCdnPurgeOptions,
  getPurgeTargets,
  isEdgePurgeConfigured,
  type PurgeEnv,
} from './cdnPurgeOptions'

const noPurge: PurgeEnv = { CACHE_PURGE_URLS: [] }
const cacheEnv = {
  CATALOG_CACHE_TTL_SECONDS: 60,
  RESPONSE_CACHE_ENABLED: true,
  RESPONSE_CACHE_MAX_BYTES: 64 * 1024 * 1024,
}
const cloudflare: PurgeEnv = {
  CACHE_PURGE_URLS: [],
  CLOUDFLARE_API_TOKEN: 'token-0123456789abcdef0123',
  CLOUDFLARE_ZONE_ID: '0123456789abcdef0123456789abcdef',
  CLOUDFLARE_PURGE_RATE: 5,
}

describe('purge targets from the environment', () => {
  it('should purge nothing when nothing is configured', () => {
    expect(isEdgePurgeConfigured(noPurge)).toBe(false)
    expect(getPurgeTargets(noPurge)).toEqual({ cloudflare: undefined, httpCaches: [] })
  })

  it('should purge Cloudflare with the token and zone, and Varnish by its URLs', () => {
    expect(getPurgeTargets(cloudflare).cloudflare).toEqual({
      apiToken: cloudflare.CLOUDFLARE_API_TOKEN,
      zoneId: cloudflare.CLOUDFLARE_ZONE_ID,
      apiBase: undefined,
      maxRequestsPerSecond: 5,
    })
    expect(isEdgePurgeConfigured({ CACHE_PURGE_URLS: ['http://varnish:6081'] })).toBe(true)
  })

  it('should purge deleted media on the public base and the app, with a slash after each', () => {
    const options = getCdnPurgeOptions({
      ...noPurge,
      SERVER_URL: 'https://cms.example.com',
      r2: {
        accessKeyId: 'a',
        secretAccessKey: 'b',
        bucket: 'c',
        endpoint: 'https://r2.example.com',
        publicBase: 'https://media.example.com',
      },
    })
    expect(options.files).toEqual({
      collections: ['media'],
      urlPrefixes: ['https://media.example.com/', 'https://cms.example.com/'],
    })
  })
})

describe('edge TTLs and surrogate keys', () => {
  it('should keep the short TTLs and send no keys without a purged edge', () => {
    const options = getCatalogCacheOptions({ ...cacheEnv, ...noPurge })
    expect(options.reads?.cacheControl).toBeUndefined()
    expect(options.endpoints?.[0].cacheControl).toBeUndefined()
    expect(options.surrogateKeys).toEqual({ disabled: true })
  })

  it('should let the edge keep answers a day, with their keys, when it is purged', () => {
    const options = getCatalogCacheOptions({ ...cacheEnv, ...cloudflare })
    expect(options.reads?.cacheControl).toBe(purgedEdgeCacheControl)
    expect(options.endpoints?.[0].cacheControl).toBe('public, max-age=0, s-maxage=86400')
    expect(options.surrogateKeys).toEqual({ disabled: false })
    expect(options.purgeEdge).toBeTypeOf('function')
  })
})
