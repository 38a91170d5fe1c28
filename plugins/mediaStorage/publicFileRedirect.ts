import type { Endpoint, Where } from 'payload'

import { collectionSlugs } from '../../collections/slugs'

/**
 * What a stored name can look like: the names this app gives uploads (see `toUniqueUploadFilename`)
 * and Payload's size suffixes, with room for names given by earlier releases. Anything else (path
 * separators, `..`, control characters, spaces, over-long names) cannot name a stored file.
 */
const storedFilenamePattern = /^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/
const maxFilenameLength = 255

export const isWellFormedStoredFilename = (filename: string): boolean =>
  filename.length <= maxFilenameLength && storedFilenamePattern.test(filename)

/** A year: the target's name never changes meaning (every upload gets a name of its own). */
export const publicFileRedirectCacheControl = 'public, max-age=31536000'

const errorResponse = (status: 400 | 404, message: string) =>
  Response.json({ errors: [{ message }] }, { status, headers: { 'Cache-Control': 'no-store' } })

type RedirectToPublicFileArgs = {
  /** The bucket's public URL, without a trailing slash (`R2_PUBLIC_BASE`). */
  publicBase: string
  /** The names of the collection's image sizes: a size's file has a name of its own. */
  imageSizeNames: string[]
}

type StoredFile = { prefix?: string | null }

/**
 * `GET /api/media/file/<name>` when media are served from a public bucket URL. Documents then
 * link to the public base, but links made before (bookmarks, old frontends, tools) still name the
 * app's route: they get a permanent redirect (308, which keeps the method and lets caches keep
 * it) to the public URL of the stored original or size. A name no readable document stores is a
 * 404 and a name that cannot be stored at all a 400, so the app never answers for a file it would
 * not have served.
 *
 * It is an endpoint rather than an upload handler because Payload runs its own file access check
 * before upload handlers, and that check answers a `?prefix=` link to an unknown name with 403.
 * Collection endpoints are matched before Payload's own, so this one replaces the file route.
 */
export const getRedirectToPublicFileEndpoint = ({
  publicBase,
  imageSizeNames,
}: RedirectToPublicFileArgs): Endpoint => ({
  path: '/file/:filename',
  method: 'get',
  handler: async (req) => {
    const filename = String(req.routeParams?.filename ?? '')
    const prefix = req.searchParams.get('prefix') ?? undefined
    if (!isWellFormedStoredFilename(filename)) {
      return errorResponse(400, 'Invalid file name.')
    }
    const storesFilename: Where = {
      or: [
        { filename: { equals: filename } },
        ...imageSizeNames.map((size): Where => ({
          [`sizes.${size}.filename`]: { equals: filename },
        })),
      ],
    }
    const { docs } = await req.payload.find({
      collection: collectionSlugs.media,
      where:
        prefix === undefined
          ? storesFilename
          : { and: [storesFilename, { prefix: { equals: prefix } }] },
      limit: 1,
      depth: 0,
      pagination: false,
      // The reader's own access: a document they may not read has no file for them either.
      overrideAccess: false,
      req,
    })
    const stored = docs[0] as StoredFile | undefined
    if (!stored) return errorResponse(404, 'Not Found')
    const key = [stored.prefix, filename]
      .filter((part): part is string => Boolean(part))
      .map((part) => encodeURIComponent(part))
      .join('/')
    return new Response(null, {
      status: 308,
      headers: {
        Location: `${publicBase}/${key}`,
        'Cache-Control': publicFileRedirectCacheControl,
      },
    })
  },
})
