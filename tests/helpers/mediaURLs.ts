import type { Payload } from 'payload'
import { expect } from 'vitest'

import type { Media } from '../../payload-types'
import { readMedia } from '../../src/catalog/buildCatalog'
import { graphql, handleApiRequest } from './http'

const sizeNames = ['thumbnail', 'card', 'hero'] as const

type MediaURLs = Pick<Media, 'url' | 'thumbnailURL'> & {
  sizes?: Partial<Record<(typeof sizeNames)[number], { url?: string | null } | null>>
}

const entriesOf = (where: string, media: MediaURLs | null | undefined): [string, unknown][] => [
  [`${where} url`, media?.url],
  ...(media && 'thumbnailURL' in media
    ? [[`${where} thumbnailURL`, media.thumbnailURL] as [string, unknown]]
    : []),
  ...sizeNames.map((size): [string, unknown] => [
    `${where} sizes.${size}.url`,
    media?.sizes?.[size]?.url,
  ]),
]

/**
 * Every URL a frontend receives for one media document, labelled by where it came from: REST
 * (asked on an origin that is not the app's, as a client may), GraphQL, and the catalog.
 */
export const collectMediaURLs = async (
  payload: Payload,
  id: number,
): Promise<Map<string, unknown>> => {
  const fromRest = (await (
    await handleApiRequest(new Request(`http://attacker.example/api/media/${id}`))
  ).json()) as MediaURLs
  const fromGraphQL = (
    (await (
      await graphql(
        `query ($id: Int!) { Media(id: $id) { url thumbnailURL sizes { ${sizeNames
          .map((size) => `${size} { url }`)
          .join(' ')} } } }`,
        { variables: { id } },
      )
    ).json()) as { data: { Media: MediaURLs } }
  ).data.Media
  const fromCatalog = (await readMedia(payload, [id])).get(id)
  return new Map([
    ...entriesOf('REST', fromRest),
    ...entriesOf('GraphQL', fromGraphQL),
    ...entriesOf('catalog', fromCatalog),
  ])
}

/** Every URL starts with `base/`; the thumbnail is the thumbnail size, wherever it is read. */
export const expectEveryMediaURLOn = (urls: Map<string, unknown>, base: string): void => {
  expect(urls.size).toBeGreaterThan(0)
  for (const [where, url] of urls) {
    expect(typeof url, where).toBe('string')
    expect((url as string).startsWith(`${base}/`), `${where}: ${String(url)}`).toBe(true)
  }
  for (const where of ['REST', 'GraphQL']) {
    expect(urls.get(`${where} thumbnailURL`), where).toBe(urls.get(`${where} sizes.thumbnail.url`))
  }
}
