import { expect } from 'vitest'

import { isSafeLinkUrl } from '../../src/config/richText/linkUrl'

const decode = (value: string) =>
  value.replace(/&(amp|lt|gt|quot|#39);/g, (entity) =>
    String.fromCharCode(
      { '&amp;': 38, '&lt;': 60, '&gt;': 62, '&quot;': 34, '&#39;': 39 }[entity] as number,
    ),
  )

const allowedTags = new Set(
  'p br strong em span code sub sup h1 h2 h3 h4 h5 h6 blockquote hr ul ol li a img'.split(' '),
)
const allowedAttributes = new Set(
  'style class href target rel src alt width height srcset value role aria-checked'.split(' '),
)
const tagPattern = /<\/?([a-zA-Z][a-zA-Z0-9]*)((?:\s+[a-zA-Z-]+="[^"<>]*")*)\s*\/?>/g
const attributePattern = /\s+([a-zA-Z-]+)="([^"<>]*)"/g

/**
 * Whether HTML is inert: every `<` and `>` belongs to a tag from a fixed list, each with quoted
 * attributes from a fixed list; no `style` holds anything but text alignment, padding or list
 * style; every URL is one a reader may follow.
 */
export const expectInertHTML = (html: string): void => {
  const outsideTags = html.replace(tagPattern, '')
  expect(outsideTags, html).not.toMatch(/[<>]/)
  for (const [, tag, attributes] of html.matchAll(tagPattern)) {
    expect(allowedTags.has(tag.toLowerCase()), `<${tag}> in ${html}`).toBe(true)
    for (const [, name, rawValue] of attributes.matchAll(attributePattern)) {
      expect(allowedAttributes.has(name), `${name}= in ${html}`).toBe(true)
      const value = decode(rawValue)
      if (name === 'href' || name === 'src') expect(isSafeLinkUrl(value), value).toBe(true)
      if (name === 'srcset') {
        for (const candidate of value.split(',')) {
          expect(isSafeLinkUrl(candidate.trim().split(' ')[0]), candidate).toBe(true)
        }
      }
      if (name === 'style') {
        expect(value).toMatch(
          /^(?:(?:text-align: (?:center|right|left|justify)|padding-inline-start: [\dNaInfity]+px|list-style-type: none|text-decoration: (?:underline|line-through));\s*)*$/,
        )
      }
    }
  }
}
