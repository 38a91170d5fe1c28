/** How the file URLs of one upload collection are handed out. */
export type FileURLSettings = {
  /** The app's public origin, without a trailing slash (the plugin's `serverURL` option). */
  serverURL?: string
  /** The image size shown as the document's thumbnail (`upload.adminThumbnail`), if one is named. */
  thumbnailSize?: string
}

type Doc = Record<string, unknown>

const isObject = (value: unknown): value is Doc =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** A path on the app itself (`/api/…`): one leading slash, not the `//host/…` of another origin. */
const isAppRelative = (url: string): boolean => url.startsWith('/') && !url.startsWith('//')

/** A URL the app serves, absolute on `serverURL`; any other value as it is. */
export const toAbsoluteFileURL = (url: unknown, serverURL: string | undefined): unknown =>
  serverURL && typeof url === 'string' && isAppRelative(url) ? `${serverURL}${url}` : url

const withAbsoluteSizeURLs = (sizes: Doc, serverURL: string | undefined): Doc =>
  Object.fromEntries(
    Object.entries(sizes).map(([name, size]) => [
      name,
      isObject(size) && 'url' in size
        ? { ...size, url: toAbsoluteFileURL(size.url, serverURL) }
        : size,
    ]),
  )

/**
 * An upload document with every file URL a reader gets made absolute on `serverURL` when the app
 * serves the file (`url` and each size's `url`), and `thumbnailURL` the URL of the thumbnail size
 * itself. Payload derives `thumbnailURL` from the size's stored path on the app
 * (`/api/<collection>/file/<name>`), so with files on a public base it pointed at the app (a
 * redirect at best) while `sizes.<size>.url` pointed at the file. Only keys present are touched:
 * a `select` may have left any of them out. Returns a new object.
 */
export const withAbsoluteFileURLs = <TDoc extends Doc>(
  doc: TDoc,
  { serverURL, thumbnailSize }: FileURLSettings,
): TDoc => {
  const result: Doc = { ...doc }
  if ('url' in doc) result.url = toAbsoluteFileURL(doc.url, serverURL)
  if (isObject(doc.sizes)) result.sizes = withAbsoluteSizeURLs(doc.sizes, serverURL)
  if ('thumbnailURL' in doc) {
    const thumbnail = thumbnailSize && isObject(result.sizes) ? result.sizes[thumbnailSize] : null
    const thumbnailSizeURL = isObject(thumbnail) ? thumbnail.url : undefined
    result.thumbnailURL =
      typeof thumbnailSizeURL === 'string'
        ? thumbnailSizeURL
        : toAbsoluteFileURL(doc.thumbnailURL, serverURL)
  }
  return result as TDoc
}
