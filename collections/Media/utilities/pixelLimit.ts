/** An image's size as its header declares it, read before any pixel is decoded. */
export type DeclaredImageSize = {
  width: number
  height: number
  /** Frames of an animation or pages of a multi-page image; 1 for a still image. */
  frames: number
}

/** Pixels a decoder would hold for the whole image: every frame of an animation counts. */
export const countDecodedPixels = ({ width, height, frames }: DeclaredImageSize): number =>
  width * height * frames

const megapixels = (pixels: number, fractionDigits: number): string => {
  const value = Number((pixels / 1_000_000).toFixed(fractionDigits))
  return `${value} megapixel${value === 1 ? '' : 's'}`
}

/**
 * Both sizes in megapixels with two decimals, or with as many more as it takes (down to a single
 * pixel) for an image just over the limit not to read as the limit itself.
 */
const describeAgainstLimit = (
  pixels: number,
  maxPixels: number,
): [image: string, limit: string] => {
  let fractionDigits = 2
  while (
    fractionDigits < 6 &&
    megapixels(pixels, fractionDigits) === megapixels(maxPixels, fractionDigits)
  ) {
    fractionDigits++
  }
  return [megapixels(pixels, fractionDigits), megapixels(maxPixels, fractionDigits)]
}

type PixelLimitArgs = { size: DeclaredImageSize; maxPixels: number }

/**
 * Why an image is refused, naming its dimensions and the limit; undefined when it is within the
 * limit (an image of exactly `maxPixels` is accepted).
 */
export const getPixelLimitRefusal = ({ size, maxPixels }: PixelLimitArgs): string | undefined => {
  const pixels = countDecodedPixels(size)
  if (pixels <= maxPixels) return undefined
  const [image, limit] = describeAgainstLimit(pixels, maxPixels)
  const dimensions = `${size.width} × ${size.height} pixels`
  return size.frames > 1
    ? `The image is ${size.frames} frames of ${dimensions} (${image} in all); the largest accepted is ${limit}, counting every frame.`
    : `The image is ${dimensions} (${image}); the largest accepted is ${limit}.`
}
