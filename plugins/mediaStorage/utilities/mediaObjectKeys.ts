/** What of an upload document names its objects in the bucket. */
export type StoredMedia = {
  prefix?: string | null
  filename?: string | null
  sizes?: Record<string, { filename?: string | null } | undefined> | null
}

/** Every object key a media document owns: the original and each generated size. */
export const getMediaObjectKeys = (doc: StoredMedia): string[] => {
  const filenames = [doc.filename, ...Object.values(doc.sizes ?? {}).map((size) => size?.filename)]
  return filenames
    .filter((filename): filename is string => Boolean(filename))
    .map((filename) => [doc.prefix, filename].filter(Boolean).join('/'))
}
