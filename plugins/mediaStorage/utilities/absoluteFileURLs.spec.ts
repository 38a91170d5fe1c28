import { describe, expect, it } from 'vitest'

import { toAbsoluteFileURL, withAbsoluteFileURLs } from './absoluteFileURLs'

const serverURL = 'https://cms.example.com'
const publicBase = 'https://media.example.com'

describe('toAbsoluteFileURL', () => {
  it('should put a path on the app on the server URL, query included', () => {
    expect(toAbsoluteFileURL('/api/media/file/a.jpg?prefix=media', serverURL)).toBe(
      'https://cms.example.com/api/media/file/a.jpg?prefix=media',
    )
  })

  it.each([
    ['an absolute URL', `${publicBase}/media/a.jpg`],
    ['a URL on another host without a scheme', '//cdn.example.com/a.jpg'],
    ['no URL', null],
    ['something that is not text', 42],
  ])('should leave %s as it is', (_label, url) => {
    expect(toAbsoluteFileURL(url, serverURL)).toBe(url)
  })

  it('should leave paths relative without a server URL', () => {
    expect(toAbsoluteFileURL('/api/media/file/a.jpg', undefined)).toBe('/api/media/file/a.jpg')
  })
})

describe('withAbsoluteFileURLs', () => {
  const servedByTheApp = {
    id: 1,
    alt: 'Tea',
    url: '/api/media/file/tea.jpg',
    thumbnailURL: '/api/media/file/tea-320x200.jpg',
    sizes: {
      thumbnail: { url: '/api/media/file/tea-320x200.jpg', width: 320 },
      card: { url: '/api/media/file/tea-768x480.jpg', width: 768 },
      hero: { url: null, width: null },
    },
  }

  it('should make every URL of a file the app serves absolute', () => {
    expect(withAbsoluteFileURLs(servedByTheApp, { serverURL, thumbnailSize: 'thumbnail' })).toEqual(
      {
        id: 1,
        alt: 'Tea',
        url: `${serverURL}/api/media/file/tea.jpg`,
        thumbnailURL: `${serverURL}/api/media/file/tea-320x200.jpg`,
        sizes: {
          thumbnail: { url: `${serverURL}/api/media/file/tea-320x200.jpg`, width: 320 },
          card: { url: `${serverURL}/api/media/file/tea-768x480.jpg`, width: 768 },
          hero: { url: null, width: null },
        },
      },
    )
  })

  // Regression: with a public base, thumbnailURL still pointed at the app's file route.
  it("should take thumbnailURL from the thumbnail size's URL on a public base", () => {
    const onPublicBase = {
      url: `${publicBase}/media/tea.jpg`,
      thumbnailURL: '/api/media/file/tea-320x200.jpg',
      sizes: { thumbnail: { url: `${publicBase}/media/tea-320x200.jpg` } },
    }
    expect(withAbsoluteFileURLs(onPublicBase, { thumbnailSize: 'thumbnail' })).toEqual({
      ...onPublicBase,
      thumbnailURL: `${publicBase}/media/tea-320x200.jpg`,
    })
  })

  it('should keep a missing thumbnail missing, and fall back to thumbnailURL without sizes', () => {
    expect(
      withAbsoluteFileURLs(
        { thumbnailURL: null, sizes: { thumbnail: { url: null } } },
        { serverURL, thumbnailSize: 'thumbnail' },
      ).thumbnailURL,
    ).toBeNull()
    expect(
      withAbsoluteFileURLs({ thumbnailURL: '/api/media/file/t.jpg' }, { serverURL }).thumbnailURL,
    ).toBe(`${serverURL}/api/media/file/t.jpg`)
  })

  it('should add no key that a select left out, and not change its input', () => {
    const selected = { id: 1, alt: 'Tea' }
    expect(withAbsoluteFileURLs(selected, { serverURL, thumbnailSize: 'thumbnail' })).toEqual(
      selected,
    )
    const input = structuredClone(servedByTheApp)
    withAbsoluteFileURLs(input, { serverURL, thumbnailSize: 'thumbnail' })
    expect(input).toEqual(servedByTheApp)
  })
})
