import zlib from 'node:zlib'

import sharp from 'sharp'

/** A real JPEG of the given size, made on the fly. */
export const makeJpeg = (width = 1800, height = 1200): Promise<Buffer> =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 80, b: 40 } } })
    .jpeg({ quality: 70 })
    .toBuffer()

const crcTable = Array.from({ length: 256 }, (_, index) => {
  let crc = index
  for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1
  return crc >>> 0
})

// zlib.crc32 needs Node 20.15; the project supports 20.9.
const crc32 = (bytes: Buffer): number => {
  let crc = 0xffffffff
  for (const byte of bytes) crc = crcTable[(crc ^ byte) & 0xff] ^ (crc >>> 8)
  return (crc ^ 0xffffffff) >>> 0
}

const uint32s = (...values: number[]): Buffer => {
  const bytes = Buffer.alloc(values.length * 4)
  values.forEach((value, index) => bytes.writeUInt32BE(value, index * 4))
  return bytes
}

const pngChunk = (type: string, data: Buffer): Buffer => {
  const typeAndData = Buffer.concat([Buffer.from(type, 'latin1'), data])
  return Buffer.concat([uint32s(data.length), typeAndData, uint32s(crc32(typeAndData))])
}

const pngSignature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

type BlackPngArgs = { width: number; height: number }

/**
 * A valid all-black PNG, written byte by byte: 1-bit greyscale rows of zeros deflate about a
 * thousandfold, so 16,000 × 16,000 pixels take ~31 KB and a few tens of milliseconds, where sharp
 * needs seconds and ~800 KB.
 */
export const makeBlackPng = ({ width, height }: BlackPngArgs): Buffer => {
  // Bit depth 1, colour type 0 (greyscale), deflate, adaptive filtering, no interlace.
  const header = Buffer.concat([uint32s(width, height), Buffer.from([1, 0, 0, 0, 0])])
  // Each row: filter type 0, then one bit per pixel.
  const rowBytes = 1 + Math.ceil(width / 8)
  const pixels = zlib.deflateSync(Buffer.alloc(rowBytes * height), { level: 9 })
  return Buffer.concat([
    pngSignature,
    pngChunk('IHDR', header),
    pngChunk('IDAT', pixels),
    pngChunk('IEND', Buffer.alloc(0)),
  ])
}

type AnimationArgs = { width: number; height: number; frames: number; format: 'gif' | 'webp' }

/**
 * An animated GIF or WebP of `frames` frames, each a different flat colour (an encoder may merge
 * identical frames into one).
 */
export const makeAnimation = async ({
  width,
  height,
  frames,
  format,
}: AnimationArgs): Promise<Buffer> => {
  const stills = await Promise.all(
    Array.from({ length: frames }, (_, index) =>
      sharp({
        create: {
          width,
          height,
          channels: 3,
          background: { r: (index * 47) % 256, g: 120, b: 255 - ((index * 47) % 256) },
        },
      })
        .png()
        .toBuffer(),
    ),
  )
  const animation = sharp(stills, { join: { animated: true } })
  return (format === 'gif' ? animation.gif() : animation.webp({ lossless: true })).toBuffer()
}
