import { describe, expect, it } from 'vitest'

import { addListFields, createReadDependencies, documentKey, globalKey } from './dependencies'
import { createAliasIndex, createReadStore, maxAliasLength, type ReadCacheEvent } from './store'

const dependenciesOf = ({
  documents = [],
  lists = {},
}: {
  documents?: string[]
  lists?: Record<string, string[]>
}) => {
  const dependencies = createReadDependencies()
  dependencies.operations = 1
  for (const document of documents) dependencies.documents.add(document)
  for (const [collection, fields] of Object.entries(lists))
    addListFields(dependencies, collection, fields)
  return dependencies
}

const candidate = (body: string, dependencies = dependenciesOf({})) => ({
  json: Buffer.from(body),
  headers: { 'content-type': 'application/json' },
  notModifiedHeaders: {},
  dependencies,
})

const createStore = (options: Partial<Parameters<typeof createReadStore>[0]> = {}) => {
  const events: ReadCacheEvent[] = []
  const store = createReadStore({
    maxBytes: 1024 * 1024,
    maxEntryBytes: 64 * 1024,
    onEvent: (event) => events.push(event),
    ...options,
  })
  const fill = (key: string, body: string, dependencies = dependenciesOf({})) =>
    store.beginFill(key).complete(candidate(body, dependencies))
  return { store, events, fill }
}

describe('the read store', () => {
  it('should keep a filled answer with its ETag, br and gzip made once', () => {
    const { store, fill } = createStore()
    const stored = fill('a', '{"docs":[]}')
    expect(stored?.entry.etag).toMatch(/^"[\w-]{32}"$/)
    expect(store.lookup('a')).toBe(stored)
    expect(store.lookup('a')?.entry.encoded('br')).toBe(stored?.entry.encoded('br'))
  })

  it('should evict the answers that contain a changed document, and only those', () => {
    const { store, fill } = createStore()
    fill('item 1', '{}', dependenciesOf({ documents: [documentKey('items', 1)] }))
    fill('item 2', '{}', dependenciesOf({ documents: [documentKey('items', 2)] }))
    store.applyChange({ collection: 'items', id: 1, fields: ['price'] })
    expect(store.lookup('item 1')).toBeUndefined()
    expect(store.lookup('item 2')).toBeDefined()
  })

  it('should evict a list when a field its where or sort reads changes, not when another does', () => {
    const { store, fill } = createStore()
    const list = dependenciesOf({ lists: { items: ['category', 'name', '_status'] } })
    fill('items of C', '{}', list)
    store.applyChange({ collection: 'items', id: 9, fields: ['price'] })
    expect(store.lookup('items of C')).toBeDefined()
    store.applyChange({ collection: 'categories', id: 9 })
    expect(store.lookup('items of C')).toBeDefined()
    store.applyChange({ collection: 'items', id: 9, fields: ['category'] })
    expect(store.lookup('items of C')).toBeUndefined()
  })

  it('should evict the lists of a collection on a create or delete, which may enter or leave any', () => {
    const { store, fill } = createStore()
    fill('items', '{}', dependenciesOf({ lists: { items: ['name'] } }))
    fill('categories', '{}', dependenciesOf({ lists: { categories: ['name'] } }))
    store.applyChange({ collection: 'items', id: 10 })
    expect(store.lookup('items')).toBeUndefined()
    expect(store.lookup('categories')).toBeDefined()
  })

  it('should evict everything of a collection on a change that names no document', () => {
    const { store, fill } = createStore()
    fill('item 1', '{}', dependenciesOf({ documents: [documentKey('items', 1)] }))
    fill('category 1', '{}', dependenciesOf({ documents: [documentKey('categories', 1)] }))
    store.applyChange({ collection: 'items' })
    expect(store.lookup('item 1')).toBeUndefined()
    expect(store.lookup('category 1')).toBeDefined()
  })

  it('should evict the answers that show a changed global', () => {
    const { store, fill } = createStore()
    fill('settings', '{}', dependenciesOf({ documents: [globalKey('site-settings')] }))
    store.applyChange({ global: 'other' })
    expect(store.lookup('settings')).toBeDefined()
    store.applyChange({ global: 'site-settings' })
    expect(store.lookup('settings')).toBeUndefined()
  })

  it('should not keep a fill that overlapped a change to what it read, but serve it', () => {
    const { store } = createStore()
    const ticket = store.beginFill('item 1')
    store.applyChange({ collection: 'items', id: 1, fields: ['name'] })
    const stored = ticket.complete(
      candidate('{}', dependenciesOf({ documents: [documentKey('items', 1)] })),
    )
    expect(stored).toBeUndefined()
    expect(store.lookup('item 1')).toBeUndefined()
  })

  it('should keep a fill that overlapped only unrelated changes', () => {
    const { store } = createStore()
    const ticket = store.beginFill('item 1')
    store.applyChange({ collection: 'items', id: 2, fields: ['name'] })
    expect(
      ticket.complete(candidate('{}', dependenciesOf({ documents: [documentKey('items', 1)] }))),
    ).toBeDefined()
  })

  it('should not keep a fill that overlapped more changes than it remembers, or a clear', () => {
    const { store } = createStore({ changeLogSize: 2 })
    const overflowed = store.beginFill('a')
    for (const id of [2, 3, 4]) store.applyChange({ collection: 'items', id, fields: ['x'] })
    expect(overflowed.complete(candidate('{}'))).toBeUndefined()
    const cleared = store.beginFill('b')
    store.clear()
    expect(cleared.complete(candidate('{}'))).toBeUndefined()
  })

  it('should let readers wait for the one fill of a key in progress', async () => {
    const { store } = createStore()
    expect(store.pendingFill('a')).toBeUndefined()
    const ticket = store.beginFill('a')
    const waiting = store.pendingFill('a')
    const stored = ticket.complete(candidate('{"a":1}'))
    await expect(waiting).resolves.toBe(stored)
    expect(store.pendingFill('a')).toBeUndefined()
  })

  it('should drop the least recently used answers to stay within its bytes', () => {
    // Each answer accounts for about 930 bytes: 612 of JSON, its encodings, its bookkeeping.
    const { store, fill, events } = createStore({ maxBytes: 2000, maxEntryBytes: 2000 })
    const body = JSON.stringify({ text: 'x'.repeat(600) })
    fill('a', body)
    fill('b', body)
    store.lookup('a')
    fill('c', body)
    expect(store.lookup('b')).toBeUndefined()
    expect(store.lookup('a')).toBeDefined()
    expect(store.stats().bytes).toBeLessThanOrEqual(2000)
    expect(events).toContainEqual({ type: 'evict', reason: 'capacity', count: 1 })
  })

  it('should not keep an answer larger than the per-entry cap', () => {
    const { fill, store } = createStore({ maxEntryBytes: 1000 })
    const random = Array.from({ length: 2000 }, (_, index) => (index * 7919) % 97).join(',')
    expect(fill('big', JSON.stringify({ random }))).toBeUndefined()
    expect(store.stats().entries).toBe(0)
  })

  it('should forget the index entries of evicted answers', () => {
    const { store, fill } = createStore({ maxBytes: 3000, maxEntryBytes: 3000 })
    const body = JSON.stringify({ text: 'x'.repeat(600) })
    fill('a', body, dependenciesOf({ documents: [documentKey('items', 1)] }))
    store.clear()
    fill('b', body, dependenciesOf({ documents: [documentKey('items', 2)] }))
    store.applyChange({ collection: 'items', id: 1, fields: ['name'] })
    expect(store.lookup('b')).toBeDefined()
  })

  it('should find an answer by an alias of its key until the answer changes', () => {
    const { store, fill } = createStore()
    const stored = fill('item 1', '{}', dependenciesOf({ documents: [documentKey('items', 1)] }))
    expect(store.addAlias('/api/items/1', 'item 1')).toBe(true)
    expect(store.lookupAlias('/api/items/1')).toBe(stored)
    store.applyChange({ collection: 'items', id: 1, fields: ['name'] })
    expect(store.lookupAlias('/api/items/1')).toBeUndefined()
    // The refill is found by its key, and by the alias only once it is recorded again.
    const refilled = fill('item 1', '{"a":1}')
    expect(store.lookupAlias('/api/items/1')).toBeUndefined()
    store.addAlias('/api/items/1', 'item 1')
    expect(store.lookupAlias('/api/items/1')).toBe(refilled)
  })

  it('should drop the aliases of answers dropped for room, replaced, or cleared', () => {
    const { store, fill } = createStore({ maxBytes: 2000, maxEntryBytes: 2000 })
    const body = JSON.stringify({ text: 'x'.repeat(600) })
    fill('a', body)
    store.addAlias('a?1', 'a')
    fill('b', body)
    fill('c', body)
    expect(store.lookup('a')).toBeUndefined()
    expect(store.lookupAlias('a?1')).toBeUndefined()
    store.addAlias('c?1', 'c')
    fill('c', '{}')
    expect(store.lookupAlias('c?1')).toBeUndefined()
    store.addAlias('b?1', 'b')
    store.clear()
    expect(store.lookupAlias('b?1')).toBeUndefined()
  })

  it('should record no alias for a key it does not hold', () => {
    const { store } = createStore()
    expect(store.addAlias('/api/items', 'nothing')).toBe(false)
    expect(store.lookupAlias('/api/items')).toBeUndefined()
  })
})

describe('the alias index', () => {
  it('should bound the aliases of one key, their length and their characters overall', () => {
    const aliases = createAliasIndex(100)
    const added = Array.from({ length: 12 }, (_, index) => aliases.add(`u${index}`, 'k'))
    expect(added.filter(Boolean)).toHaveLength(8)
    expect(aliases.add('x'.repeat(maxAliasLength + 1), 'other')).toBe(false)
    expect(aliases.add('y'.repeat(90), 'other')).toBe(false)
    expect(aliases.add('y'.repeat(80), 'other')).toBe(true)
    aliases.remove('k')
    expect(aliases.keyOf('u0')).toBeUndefined()
    expect(aliases.stats()).toEqual({ aliases: 1, chars: 80 })
  })

  it('should keep an alias for the key it was first recorded for', () => {
    const aliases = createAliasIndex(1000)
    aliases.add('u', 'first')
    expect(aliases.add('u', 'second')).toBe(false)
    expect(aliases.keyOf('u')).toBe('first')
    aliases.remove('second')
    expect(aliases.keyOf('u')).toBe('first')
  })
})
