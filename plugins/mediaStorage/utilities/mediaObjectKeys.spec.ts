import { describe, expect, it } from 'vitest'

import { getMediaObjectKeys } from './mediaObjectKeys'

describe('getMediaObjectKeys', () => {
  it('should list the original and every size under the prefix', () => {
    expect(
      getMediaObjectKeys({
        prefix: 'media',
        filename: 'a.jpg',
        sizes: { thumbnail: { filename: 'a-100x100.jpg' }, card: { filename: null } },
      }),
    ).toEqual(['media/a.jpg', 'media/a-100x100.jpg'])
  })

  it('should leave keys without a prefix at the root', () => {
    expect(getMediaObjectKeys({ prefix: '', filename: 'a.jpg', sizes: null })).toEqual(['a.jpg'])
  })

  it('should list nothing for a document without a file', () => {
    expect(getMediaObjectKeys({})).toEqual([])
  })
})
