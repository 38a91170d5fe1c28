/** Where an upload document keeps the URLs of its files: the original, the thumbnail, each size. */
const urlsOfDocument = (doc: unknown): string[] => {
  const record = (doc ?? {}) as { url?: unknown; thumbnailURL?: unknown; sizes?: unknown }
  const sizes = record.sizes && typeof record.sizes === 'object' ? Object.values(record.sizes) : []
  return [
    record.url,
    record.thumbnailURL,
    ...sizes.map((size) => (size as { url?: unknown })?.url),
  ].filter((url): url is string => typeof url === 'string')
}

/** The file URLs of an upload document that start with one of `prefixes`, each once. */
export const fileURLsOf = (doc: unknown, prefixes: readonly string[]): string[] => [
  ...new Set(
    urlsOfDocument(doc).filter((url) => prefixes.some((prefix) => url.startsWith(prefix))),
  ),
]

/** The file URLs `previous` had and `current` no longer has: the files an update replaced. */
export const replacedFileURLs = (
  previous: unknown,
  current: unknown,
  prefixes: readonly string[],
): string[] => {
  const kept = new Set(fileURLsOf(current, prefixes))
  return fileURLsOf(previous, prefixes).filter((url) => !kept.has(url))
}
