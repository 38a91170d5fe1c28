import fs from 'node:fs'
import path from 'node:path'
import { Readable } from 'node:stream'

import type { PayloadRequest, UploadConfig } from 'payload'

import { acceptedImageFormats } from '../hooks/normaliseUpload'

type UploadHandler = NonNullable<UploadConfig['handlers']>[number]

/** Names are unique per upload and files never change in place, so a year-long immutable cache is honest. */
export const immutableFileCacheControl = 'public, max-age=31536000, immutable'

/**
 * Stored names end in the extension of the format their bytes were verified to be (see
 * normaliseUpload), so the extension is a trustworthy source of the content type.
 */
const mimeTypeByExtension = new Map(
  acceptedImageFormats.flatMap((format) =>
    format.extension === 'jpg'
      ? [
          ['jpg', format.mime],
          ['jpeg', format.mime],
        ]
      : [[format.extension, format.mime]],
  ),
)

const matchesIfNoneMatch = (header: string | null, etag: string): boolean =>
  Boolean(header) &&
  header!.split(',').some((candidate) => {
    const value = candidate.trim()
    return value === '*' || value === etag || value === `W/${etag}`
  })

type ServeLocalFileArgs = { staticDir: string }

/**
 * Serves media from local disk with validators and caching: a strong ETag (size + mtime, as nginx
 * does), `304 Not Modified` for a matching `If-None-Match`, the stored content type and `nosniff`.
 * Names outside the media directory are a 400 and names that are not there a 404.
 */
export const getServeLocalFileHandler = ({ staticDir }: ServeLocalFileArgs): UploadHandler => {
  const root = path.resolve(staticDir)
  const serve = async (
    req: PayloadRequest,
    { params }: { params: { filename: string } },
  ): Promise<Response | void> => {
    const filePath = path.resolve(root, params.filename)
    if (!filePath.startsWith(root + path.sep)) {
      return Response.json({ errors: [{ message: 'Invalid file name.' }] }, { status: 400 })
    }
    const mimeType = mimeTypeByExtension.get(path.extname(filePath).slice(1).toLowerCase())
    const stats = await fs.promises.stat(filePath).catch(() => undefined)
    // Payload answers a missing file with a 500; for a client asking for a name that is not
    // there, 404 is the truth.
    if (!mimeType || !stats?.isFile()) {
      return Response.json({ errors: [{ message: 'Not Found' }] }, { status: 404 })
    }
    const etag = `"${stats.size.toString(16)}-${Math.floor(stats.mtimeMs).toString(16)}"`
    const headers = new Headers({
      ETag: etag,
      'Cache-Control': immutableFileCacheControl,
      'X-Content-Type-Options': 'nosniff',
      'Last-Modified': stats.mtime.toUTCString(),
    })
    if (matchesIfNoneMatch(req.headers.get('if-none-match'), etag)) {
      return new Response(null, { status: 304, headers })
    }
    headers.set('Content-Type', mimeType)
    headers.set('Content-Length', String(stats.size))
    const body =
      req.method === 'HEAD'
        ? null
        : (Readable.toWeb(fs.createReadStream(filePath)) as ReadableStream)
    return new Response(body, { status: 200, headers })
  }
  // Payload types the result as "a Response or nothing" in a way a single async function cannot
  // express; returning undefined is the documented way to fall through to the next handler.
  return (req, args) => serve(req, args) as ReturnType<UploadHandler>
}
