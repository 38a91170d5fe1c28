/** The schemes a link in rich text may use; anything else is refused. */
export const allowedLinkSchemes = ['http', 'https', 'mailto', 'tel'] as const

const allowedSchemes = new Set<string>(allowedLinkSchemes)

/** How many rounds of decoding are undone: enough for double encoding, bounded for long input. */
const decodingRounds = 3

/** Named character references that can spell a scheme or hide its end; HTML is case-sensitive. */
const namedReferences: Record<string, string> = {
  colon: ':',
  tab: '\t',
  newline: '\n',
  nbsp: '\u00a0',
  sol: '/',
  num: '#',
  quest: '?',
  amp: '&',
}

const fromCodePoint = (codePoint: number): string =>
  Number.isInteger(codePoint) && codePoint >= 0 && codePoint <= 0x10ffff
    ? String.fromCodePoint(codePoint)
    : ''

/** `&#106;`, `&#x6A;` and the named references above, with or without their `;`, as HTML reads them. */
const decodeCharacterReferences = (text: string): string =>
  text.replace(/&(?:#x([0-9a-f]+)|#(\d+)|([a-z]+));?/gi, (reference, hex, decimal, name) => {
    if (hex !== undefined) return fromCodePoint(parseInt(hex, 16))
    if (decimal !== undefined) return fromCodePoint(parseInt(decimal, 10))
    return namedReferences[String(name).toLowerCase()] ?? reference
  })

const decodePercentEscapes = (text: string): string =>
  text.replace(/%([0-9a-f]{2})/gi, (_escape, hex: string) => String.fromCharCode(parseInt(hex, 16)))

/**
 * Browsers drop leading control characters and spaces, and tabs and newlines anywhere, before
 * they read a scheme (`java\tscript:` runs); spaces, controls and invisible characters elsewhere
 * are removed too, so that nothing hides a scheme from this check.
 */
const removeIgnorable = (text: string): string =>
  text.replace(/[\u0000-\u0020\u007f-\u00a0\u00ad\u200b-\u200f\u2028\u2029\u2060\ufeff]/g, '')

/** The scheme of a URL (lower case), or undefined for a relative URL: no `:` before `/ ? #`. */
const schemeOf = (url: string): string | undefined => /^([^/?#]*?):/.exec(url)?.[1]?.toLowerCase()

/**
 * The forms a URL may take on its way to a browser: as stored, with character references decoded
 * (a frontend that puts it into HTML unescaped), with percent-escapes decoded, and both, repeated.
 */
const readings = (url: string): string[] => {
  const forms = [removeIgnorable(url)]
  let current = url
  for (let round = 0; round < decodingRounds; round += 1) {
    current = decodeCharacterReferences(current)
    forms.push(removeIgnorable(current))
    current = decodePercentEscapes(current)
    forms.push(removeIgnorable(current))
  }
  return forms
}

/**
 * Whether a link URL is one a reader may follow safely: `http:`, `https:`, `mailto:`, `tel:`, or
 * relative (`/path`, `page`, `?query`, `#anchor`, `//host/path`). Every other scheme is refused —
 * `javascript:`, `vbscript:`, `data:`, `file:` and any not listed — however it is written:
 * in any case, with spaces, tabs, newlines or invisible characters in or before it, or spelled
 * with character references or percent-escapes.
 */
export const isSafeLinkUrl = (url: string): boolean =>
  readings(url).every((form) => {
    const scheme = schemeOf(form)
    return scheme === undefined || allowedSchemes.has(scheme)
  })
