import sharp from 'sharp'

/** A real JPEG of the given size, made on the fly. */
export const makeJpeg = (width = 1800, height = 1200): Promise<Buffer> =>
  sharp({ create: { width, height, channels: 3, background: { r: 200, g: 80, b: 40 } } })
    .jpeg({ quality: 70 })
    .toBuffer()
