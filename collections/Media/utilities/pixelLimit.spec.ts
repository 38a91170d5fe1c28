import { describe, expect, it } from 'vitest'

import { countDecodedPixels, getPixelLimitRefusal } from './pixelLimit'

const fortyMegapixels = 40_000_000

describe('countDecodedPixels', () => {
  it('should multiply width, height and frames', () => {
    expect(countDecodedPixels({ width: 16_000, height: 16_000, frames: 1 })).toBe(256_000_000)
    expect(countDecodedPixels({ width: 4000, height: 4000, frames: 3 })).toBe(48_000_000)
  })
})

describe('getPixelLimitRefusal', () => {
  it('should name the dimensions, the megapixels and the limit of a still image', () => {
    expect(
      getPixelLimitRefusal({
        size: { width: 16_000, height: 16_000, frames: 1 },
        maxPixels: fortyMegapixels,
      }),
    ).toBe(
      'The image is 16000 × 16000 pixels (256 megapixels); the largest accepted is 40 megapixels.',
    )
  })

  it('should accept an image of exactly the limit and refuse one pixel more', () => {
    expect(
      getPixelLimitRefusal({ size: { width: 8000, height: 5000, frames: 1 }, maxPixels: 40e6 }),
    ).toBeUndefined()
    expect(
      getPixelLimitRefusal({ size: { width: 40_000_001, height: 1, frames: 1 }, maxPixels: 40e6 }),
    ).toBe(
      'The image is 40000001 × 1 pixels (40.000001 megapixels); the largest accepted is 40 megapixels.',
    )
  })

  it('should count every frame of an animation, each under the limit', () => {
    const size = { width: 4000, height: 4000, frames: 3 }
    expect(getPixelLimitRefusal({ size: { ...size, frames: 1 }, maxPixels: 40e6 })).toBeUndefined()
    expect(getPixelLimitRefusal({ size, maxPixels: 40e6 })).toBe(
      'The image is 3 frames of 4000 × 4000 pixels (48 megapixels in all); the largest accepted is 40 megapixels, counting every frame.',
    )
  })

  it('should show enough decimals for an image just over the limit to differ from it', () => {
    expect(
      getPixelLimitRefusal({ size: { width: 1000, height: 1001, frames: 1 }, maxPixels: 1e6 }),
    ).toBe(
      'The image is 1000 × 1001 pixels (1.001 megapixels); the largest accepted is 1 megapixel.',
    )
    expect(
      getPixelLimitRefusal({ size: { width: 500, height: 500, frames: 5 }, maxPixels: 1e6 }),
    ).toMatch(/\(1\.25 megapixels in all\); the largest accepted is 1 megapixel,/)
  })

  it('should accept small images and single-frame images under the limit', () => {
    expect(
      getPixelLimitRefusal({ size: { width: 1, height: 1, frames: 1 }, maxPixels: 1e6 }),
    ).toBeUndefined()
    expect(
      getPixelLimitRefusal({ size: { width: 6000, height: 4000, frames: 1 }, maxPixels: 40e6 }),
    ).toBeUndefined()
  })
})
