import crypto from 'node:crypto'

import { describe, expect, it } from 'vitest'

import type { CacheChange } from '../types'
import {
  addListFields,
  anyField,
  createReadDependencies,
  documentKey,
  globalKey,
  isAffectedBy,
  type ReadDependencies,
} from '../readCache/dependencies'
import {
  coarsePurgeKeysOf,
  coarseSurrogateKeysOf,
  purgeKeysOf,
  surrogateKeysOf,
  toSurrogateKeyHeaders,
  type SurrogateKeyLimits,
} from './surrogateKeys'

const dependenciesOf = ({
  documents = [],
  lists = {},
}: {
  documents?: string[]
  lists?: Record<string, string[]>
}): ReadDependencies => {
  const dependencies = createReadDependencies()
  for (const document of documents) dependencies.documents.add(document)
  for (const [collection, fields] of Object.entries(lists))
    addListFields(dependencies, collection, fields)
  return dependencies
}

const meets = (left: readonly string[], right: readonly string[]) =>
  left.some((key) => right.includes(key))

const itemsOfCategoryC = dependenciesOf({
  documents: [documentKey('items', 1), documentKey('items', 2)],
  lists: { items: ['category', 'name', '_status'] },
})

describe('surrogate keys of an answer', () => {
  it('should name every document, global, listed collection, list field and collection', () => {
    const keys = surrogateKeysOf(
      dependenciesOf({
        documents: [documentKey('items', 1), documentKey('categories', 7), globalKey('settings')],
        lists: { items: ['category', anyField] },
      }),
    )
    expect(keys).toEqual([
      'c:categories',
      'c:items',
      'd:categories:7',
      'd:items:1',
      'g:settings',
      'l:items',
      'l:items:*',
      'l:items:category',
    ])
  })

  it('should encode ids and fields so no key holds a separator or names every document', () => {
    const keys = surrogateKeysOf(
      dependenciesOf({ documents: [documentKey('items', 'a b,c*é:%')], lists: { items: ['x y'] } }),
    )
    expect(keys).toContain('d:items:a%20b%2Cc%2A%C3%A9%3A%25')
    expect(keys).toContain('l:items:x%20y')
    for (const key of keys) expect(key).toMatch(/^[A-Za-z0-9_.~%:*-]+$/)
    expect(keys.filter((key) => key.endsWith(':*'))).toEqual([])
  })

  it('should be the same whatever order the documents were read in', () => {
    const forwards = surrogateKeysOf(
      dependenciesOf({ documents: [documentKey('items', 1), documentKey('items', 2)] }),
    )
    const backwards = surrogateKeysOf(
      dependenciesOf({ documents: [documentKey('items', 2), documentKey('items', 1)] }),
    )
    expect(forwards).toEqual(backwards)
  })

  it('should send them as a space-separated Surrogate-Key and a comma-separated Cache-Tag', () => {
    expect(toSurrogateKeyHeaders(['c:items', 'd:items:1'])).toEqual({
      'surrogate-key': 'c:items d:items:1',
      'cache-tag': 'c:items,d:items:1',
    })
    expect(toSurrogateKeyHeaders([])).toEqual({})
  })
})

describe('surrogate keys within header limits', () => {
  const manyItems = Array.from({ length: 400 }, (_, index) => documentKey('items', 1000 + index))
  const withMedia = dependenciesOf({
    documents: [...manyItems, documentKey('media', 1), documentKey('media', 2)],
    lists: { items: ['category'] },
  })

  it('should replace the documents of the collection that takes most room by d:<c>:*', () => {
    const keys = surrogateKeysOf(withMedia)
    expect(keys.join(',').length).toBeLessThanOrEqual(4000)
    expect(keys).toEqual([
      'c:items',
      'c:media',
      'd:items:*',
      'd:media:1',
      'd:media:2',
      'l:items',
      'l:items:category',
    ])
  })

  it('should collapse whole collections to c:<c> and d:<c>:* when that is still too much', () => {
    const tight: SurrogateKeyLimits = { maxHeaderBytes: 40, maxKeyLength: 1024 }
    const keys = surrogateKeysOf(withMedia, tight)
    expect(keys).toEqual(['c:items', 'c:media', 'd:items:*', 'd:media:*'])
  })

  it('should never drop a global, even past the limit', () => {
    const keys = surrogateKeysOf(dependenciesOf({ documents: [globalKey('settings')] }), {
      maxHeaderBytes: 3,
      maxKeyLength: 1024,
    })
    expect(keys).toEqual(['g:settings'])
  })

  it('should collapse a document whose key would be longer than a tag may be', () => {
    const keys = surrogateKeysOf(
      dependenciesOf({
        documents: [documentKey('items', 'x'.repeat(1100)), documentKey('media', 1)],
      }),
    )
    expect(keys).toEqual(['c:items', 'c:media', 'd:items:*', 'd:media:1'])
  })
})

describe('keys to purge for a change', () => {
  it('should purge the document, any-document and the lists reading a changed field on an update', () => {
    expect(purgeKeysOf({ collection: 'items', id: 4, fields: ['price', 'name'] })).toEqual([
      'd:items:4',
      'd:items:*',
      'l:items:*',
      'l:items:price',
      'l:items:name',
    ])
  })

  it('should purge every list of the collection on a create or delete', () => {
    expect(purgeKeysOf({ collection: 'items', id: 4 })).toEqual([
      'd:items:4',
      'd:items:*',
      'l:items',
    ])
  })

  it('should purge the whole collection for a change naming no document, and a global by its key', () => {
    expect(purgeKeysOf({ collection: 'items' })).toEqual(['c:items'])
    expect(purgeKeysOf({ global: 'settings' })).toEqual(['g:settings'])
    expect(coarsePurgeKeysOf({ collection: 'items', id: 4, fields: ['price'] })).toEqual([
      'c:items',
    ])
    expect(coarsePurgeKeysOf({ global: 'settings' })).toEqual(['g:settings'])
  })

  it('should not purge a list of items of category C at depth 0 when category D changes', () => {
    const change: CacheChange = { collection: 'categories', id: 9, fields: ['name'] }
    expect(meets(surrogateKeysOf(itemsOfCategoryC), purgeKeysOf(change))).toBe(false)
  })

  it('should purge the catalog document on any change of what it is built from', () => {
    const catalog = coarseSurrogateKeysOf({
      collections: ['items', 'media'],
      globals: ['settings'],
    })
    const changes: CacheChange[] = [
      { collection: 'items', id: 1, fields: ['name'] },
      { collection: 'media', id: 2 },
      { collection: 'items' },
      { global: 'settings' },
    ]
    for (const change of changes) expect(meets(catalog, purgeKeysOf(change))).toBe(true)
  })
})

/** Bytes that follow from `seed` alone: a failing case replays from the seed it names. */
const createChoices = (seed: number) => {
  let block = 0
  let bytes = Buffer.alloc(0)
  let offset = 0
  const byte = () => {
    if (offset >= bytes.length) {
      bytes = crypto.createHash('sha256').update(`${seed}/${block++}`).digest()
      offset = 0
    }
    return bytes[offset++]
  }
  return {
    chance: (percent: number) => byte() % 100 < percent,
    pick: <T>(values: readonly T[]): T => values[byte() % values.length],
  }
}

const collections = ['items', 'categories', 'media']
const globals = ['settings', 'footer']
const fields = ['name', 'price', 'category', 'slug', '_status']
const ids = [1, 2, 3, 'x:y']

const randomDependencies = (choices: ReturnType<typeof createChoices>) => {
  const dependencies = createReadDependencies()
  for (const collection of collections)
    for (const id of ids)
      if (choices.chance(20)) dependencies.documents.add(documentKey(collection, id))
  for (const global of globals)
    if (choices.chance(20)) dependencies.documents.add(globalKey(global))
  for (const collection of collections) {
    if (!choices.chance(30)) continue
    const read = [...fields, anyField].filter(() => choices.chance(25))
    addListFields(dependencies, collection, read)
  }
  return dependencies
}

const randomChange = (choices: ReturnType<typeof createChoices>): CacheChange => {
  if (choices.chance(10)) return { global: choices.pick(globals) }
  const collection = choices.pick(collections)
  if (choices.chance(10)) return { collection }
  const id = choices.pick(ids)
  if (choices.chance(30)) return { collection, id }
  return { collection, id, fields: fields.filter(() => choices.chance(30)) }
}

describe('surrogate keys against the read cache, property-style', () => {
  const limitsToTry: SurrogateKeyLimits[] = [
    { maxHeaderBytes: 4000, maxKeyLength: 1024 },
    { maxHeaderBytes: 60, maxKeyLength: 1024 },
    { maxHeaderBytes: 1, maxKeyLength: 8 },
  ]

  it('should purge at the edge every answer a change evicts on the replicas, within any limits', () => {
    let affected = 0
    for (let seed = 0; seed < 3000; seed++) {
      const choices = createChoices(seed)
      const dependencies = randomDependencies(choices)
      const change = randomChange(choices)
      if (!isAffectedBy(dependencies, change)) continue
      affected += 1
      for (const limits of limitsToTry) {
        const keys = surrogateKeysOf(dependencies, limits)
        expect(
          meets(keys, purgeKeysOf(change)),
          `seed ${seed}: ${JSON.stringify(change)} misses ${keys.join(' ')}`,
        ).toBe(true)
        expect(meets(keys, coarsePurgeKeysOf(change)), `seed ${seed}: coarse`).toBe(true)
      }
    }
    // The generator must produce enough affected pairs for the property to mean something.
    expect(affected).toBeGreaterThan(500)
  })
})
