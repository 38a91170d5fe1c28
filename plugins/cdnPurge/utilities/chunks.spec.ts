import { describe, expect, it } from 'vitest'

import { chunkByBytes, chunkByCount } from './chunks'

describe('chunks', () => {
  it('should cut by count, the last run shorter', () => {
    expect(chunkByCount([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]])
    expect(chunkByCount([], 100)).toEqual([])
  })

  it('should cut by the length of the space-separated text, never splitting a value', () => {
    expect(chunkByBytes(['aaa', 'bb', 'c', 'dddd'], 6)).toEqual([
      ['aaa', 'bb'],
      ['c', 'dddd'],
    ])
    expect(chunkByBytes(['a', 'toolongvalue', 'b'], 4)).toEqual([['a'], ['toolongvalue'], ['b']])
  })
})
