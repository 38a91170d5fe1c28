import type { Endpoint, UploadCollectionSlug, Where } from 'payload'

import { publicFileRedirectCacheControl } from '../defaults'

const errorResponse = (status: 400 | 404, message: string) =>
  Response.json({ errors: [{ message }] }, { status, headers: { 'Cache-Control': 'no-store' } })

type RedirectToPublicFileArgs = {
  collection: UploadCollectionSlug
  /** The bucket's public URL, without a trailing slash. */
  publicBase: string
  /** The names of the collection's image sizes: a size's file has a name of its own. */
  imageSizeNames: string[]
  isServableFilename: (filename: string) => boolean
}

type StoredFile = { prefix?: string | null }

const storesFilenameWhere = ({
  filename,
  prefix,
  imageSizeNames,
}: {
  filename: string
  prefix?: string
  imageSizeNames: string[]
}): Where => {
  const storesFilename: Where = {
    or: [
      { filename: { equals: filename } },
      ...imageSizeNames.map((size): Where => ({
        [`sizes.${size}.filename`]: { equals: filename },
      })),
    ],
  }
  return prefix === undefined
    ? storesFilename
    : { and: [storesFilename, { prefix: { equals: prefix } }] }
}

/**
 * `GET /api/<collection>/file/<name>` when files are served from a public bucket URL. Documents then
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
  collection,
  publicBase,
  imageSizeNames,
  isServableFilename,
}: RedirectToPublicFileArgs): Endpoint => ({
  path: '/file/:filename',
  method: 'get',
  handler: async (req) => {
    const filename = String(req.routeParams?.filename ?? '')
    const prefix = req.searchParams.get('prefix') ?? undefined
    if (!isServableFilename(filename)) return errorResponse(400, 'Invalid file name.')
    const { docs } = await req.payload.find({
      collection,
      where: storesFilenameWhere({ filename, prefix, imageSizeNames }),
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
