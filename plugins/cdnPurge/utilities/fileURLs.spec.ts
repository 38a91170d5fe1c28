import { describe, expect, it } from 'vitest'

import { fileURLsOf, replacedFileURLs } from './fileURLs'

const base = 'https://media.example.com'
const doc = (name: string) => ({
  url: `${base}/media/${name}.jpg`,
  thumbnailURL: `${base}/media/${name}-320x240.jpg`,
  sizes: {
    thumbnail: { url: `${base}/media/${name}-320x240.jpg` },
    card: { url: `${base}/media/${name}-768x576.jpg` },
    hero: { url: null },
  },
})

describe('file URLs of an upload document', () => {
  it('should list the original and every size once, on the given origins only', () => {
    expect(fileURLsOf(doc('a'), [base])).toEqual([
      `${base}/media/a.jpg`,
      `${base}/media/a-320x240.jpg`,
      `${base}/media/a-768x576.jpg`,
    ])
    expect(fileURLsOf(doc('a'), ['https://elsewhere.example.com'])).toEqual([])
    expect(fileURLsOf(undefined, [base])).toEqual([])
  })

  it('should name the files a replaced upload no longer has', () => {
    expect(replacedFileURLs(doc('a'), doc('b'), [base])).toEqual([
      `${base}/media/a.jpg`,
      `${base}/media/a-320x240.jpg`,
      `${base}/media/a-768x576.jpg`,
    ])
    expect(replacedFileURLs(doc('a'), { ...doc('a'), alt: 'new' }, [base])).toEqual([])
  })
})
