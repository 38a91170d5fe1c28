import type { SharpDependency } from 'payload'
import sharp from 'sharp'

/**
 * sharp for Payload's own image work (sizes, crop, focal point), refusing to decode an image of
 * more than `maxPixels` (frames included when read animated) unless a caller sets its own limit.
 * The upload hook refuses such images first, with a message; this is the second line, for any path
 * that reaches sharp without going through it.
 */
export const getPixelLimitedSharp =
  ({ maxPixels }: { maxPixels: number }): SharpDependency =>
  (input, options) =>
    sharp(input, { limitInputPixels: maxPixels, ...options })
