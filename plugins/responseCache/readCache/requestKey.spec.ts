import { describe, expect, it } from 'vitest'

import { canonicalRestQuery, corsOriginKey, graphQLReadKey, stableStringify } from './requestKey'

describe('REST read keys', () => {
  it('should map parameter order and encoding variants to one key', () => {
    const keys = new Set(
      [
        '?where[category][equals]=3&depth=1&sort=name',
        '?sort=name&depth=1&where[category][equals]=3',
        '?where%5Bcategory%5D%5Bequals%5D=3&depth=%31&sort=name',
        '?depth=1&where[category][equals]=3&sort=name&utm_source=mail&_=1712',
      ].map(canonicalRestQuery),
    )
    expect(keys.size).toBe(1)
  })

  it('should keep every parameter Payload reads apart', () => {
    const base = canonicalRestQuery('?depth=1')
    for (const search of [
      '?depth=2',
      '?depth=1&draft=true',
      '?depth=1&locale=de',
      '?depth=1&select[name]=true',
      '?depth=1&populate[categories][name]=true',
      '?depth=1&joins[items][limit]=5',
      '?depth=1&limit=5',
      '?depth=1&page=2',
      '?depth=1&pagination=false',
      '?depth=1&sort=-name',
      '?depth=1&where[name][equals]=x',
      '?depth=1&trash=true',
      '?depth=1&fallback-locale=none',
    ])
      expect(canonicalRestQuery(search), search).not.toBe(base)
  })
})

describe('GraphQL read keys', () => {
  const query = '{ Items(limit: 2) { docs { id name } } }'

  it('should ignore whitespace, commas and comments in the document', () => {
    expect(graphQLReadKey({ query })).toBe(
      graphQLReadKey({ query: '# list\n{\n  Items(limit: 2) {\n docs { id, name }\n }\n}' }),
    )
  })

  it('should keep variables (in any key order) and the operation name in the key', () => {
    const named = 'query A($l: Int) { Items(limit: $l) { docs { id } } }'
    expect(graphQLReadKey({ query: named, variables: { l: 1, m: 2 } })).toBe(
      graphQLReadKey({ query: named, variables: { m: 2, l: 1 } }),
    )
    expect(graphQLReadKey({ query: named, variables: { l: 1 } })).not.toBe(
      graphQLReadKey({ query: named, variables: { l: 2 } }),
    )
  })

  it('should not key mutations, subscriptions, unparseable or ambiguous documents', () => {
    for (const read of [
      { query: 'mutation { deleteItem(id: 1) { id } }' },
      { query: 'subscription { x }' },
      { query: '{ Items {' },
      { query: 'query A { a } query B { b }' },
      { query: 'query A { a } mutation B { b }', operationName: 'B' },
    ])
      expect(graphQLReadKey(read), read.query).toBeUndefined()
    expect(
      graphQLReadKey({ query: 'query A { a } mutation B { b }', operationName: 'A' }),
    ).toBeDefined()
  })
})

describe('keys of other parts', () => {
  it('should write objects with their keys in order', () => {
    expect(stableStringify({ b: [2, { d: 1, c: 0 }], a: 'x', skipped: undefined })).toBe(
      '{"a":"x","b":[2,{"c":0,"d":1}]}',
    )
  })

  it('should tell origins apart only where CORS headers name them', () => {
    const allowed = ['https://shop.example']
    expect(corsOriginKey('https://shop.example', allowed)).toBe('https://shop.example')
    expect(corsOriginKey('https://evil.example', allowed)).toBe('')
    expect(corsOriginKey(undefined, allowed)).toBe('')
    expect(corsOriginKey('https://shop.example', '*')).toBe('')
    expect(corsOriginKey('https://shop.example', { origins: allowed })).toBe('https://shop.example')
  })
})
