import { fileTypeFromBuffer } from 'file-type'
import { APIError, type CollectionBeforeOperationHook } from 'payload'
import sharp from 'sharp'

import { toUniqueUploadFilename } from '../../../src/utilities/uploadFilename'

type AcceptedFormat = { mime: string; extension: string; label: string }

/** Raster formats only: SVG can carry script, so it is never accepted as an image. */
export const acceptedImageFormats: AcceptedFormat[] = [
  { mime: 'image/jpeg', extension: 'jpg', label: 'JPEG' },
  { mime: 'image/png', extension: 'png', label: 'PNG' },
  { mime: 'image/webp', extension: 'webp', label: 'WebP' },
  { mime: 'image/avif', extension: 'avif', label: 'AVIF' },
  { mime: 'image/gif', extension: 'gif', label: 'GIF' },
]

const acceptedList = acceptedImageFormats.map((format) => format.label).join(', ')

const formatMegabytes = (bytes: number) => `${(bytes / (1024 * 1024)).toFixed(1)} MB`

/**
 * Decodes and re-encodes the image: EXIF orientation is applied to the pixels, and everything that
 * is not pixels (EXIF with GPS, XMP, comments, bytes appended after the image, as in polyglot
 * files) is dropped. Quality stays high: derived sizes are made from this copy.
 */
const reencode = (data: Buffer, format: AcceptedFormat): Promise<Buffer> => {
  const isAnimatable = format.mime === 'image/gif' || format.mime === 'image/webp'
  const image = sharp(data, { animated: isAnimatable, failOn: 'error' }).rotate()
  switch (format.mime) {
    case 'image/jpeg':
      // Plain libjpeg: mozjpeg saves a few percent but took 3.9 s instead of 0.23 s on 12 MP.
      return image.jpeg({ quality: 90 }).toBuffer()
    case 'image/png':
      return image.png().toBuffer()
    case 'image/webp':
      return image.webp({ quality: 90 }).toBuffer()
    case 'image/avif':
      return image.avif({ quality: 70 }).toBuffer()
    default:
      return image.gif().toBuffer()
  }
}

/**
 * Checks an incoming upload by its bytes, not its name or the client's MIME type, then replaces it
 * with a clean re-encoded copy under a unique, sanitised filename. Runs before Payload computes
 * sizes, so every stored object derives from the clean copy.
 */
export const getNormaliseUploadHook =
  ({ maxBytes }: { maxBytes: number }): CollectionBeforeOperationHook =>
  async ({ args, operation }) => {
    if (operation !== 'create' && operation !== 'update') return args
    const file = args.req?.file
    if (!file) return args

    if (file.size > maxBytes) {
      throw new APIError(
        `The file is ${formatMegabytes(file.size)}; the limit is ${formatMegabytes(maxBytes)}.`,
        413,
        undefined,
        true,
      )
    }
    const detected = await fileTypeFromBuffer(file.data)
    const format = acceptedImageFormats.find((accepted) => accepted.mime === detected?.mime)
    if (!format) {
      throw new APIError(
        `Only ${acceptedList} images are accepted; this file is ${detected ? detected.mime : 'not a recognised image'}.`,
        415,
        undefined,
        true,
      )
    }
    let clean: Buffer
    try {
      clean = await reencode(file.data, format)
    } catch {
      throw new APIError(
        `The ${format.label} image could not be read: the file is corrupt or truncated.`,
        400,
        undefined,
        true,
      )
    }
    args.req.file = {
      ...file,
      data: clean,
      size: clean.length,
      mimetype: format.mime,
      name: toUniqueUploadFilename(file.name, format.extension),
    }
    return args
  }
