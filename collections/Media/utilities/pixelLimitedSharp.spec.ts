import sharp from 'sharp'
import { describe, expect, it } from 'vitest'

import { getPixelLimitedSharp } from './pixelLimitedSharp'

const makePng = (width: number, height: number, background = '#204060') =>
  sharp({ create: { width, height, channels: 3, background } })
    .png()
    .toBuffer()

describe('getPixelLimitedSharp', () => {
  const limitedSharp = getPixelLimitedSharp({ maxPixels: 10_000 })

  it('should decode an image of exactly the limit', async () => {
    const { info } = await limitedSharp(await makePng(100, 100))
      .raw()
      .toBuffer({ resolveWithObject: true })
    expect([info.width, info.height]).toEqual([100, 100])
  })

  it('should refuse to decode an image past the limit', async () => {
    await expect(limitedSharp(await makePng(100, 101)).toBuffer()).rejects.toThrow(
      /exceeds pixel limit/,
    )
  })

  it('should count every frame of an animation that is read animated', async () => {
    // Five 50 × 50 frames: 2,500 pixels each, 12,500 in all. Alternating colours, so the encoder
    // keeps every frame.
    const colours = ['#204060', '#602040', '#204060', '#602040', '#204060']
    const frames = await Promise.all(colours.map((colour) => makePng(50, 50, colour)))
    const animation = await sharp(frames, { join: { animated: true } })
      .gif()
      .toBuffer()
    await expect(limitedSharp(animation).toBuffer()).resolves.toEqual(expect.any(Buffer))
    await expect(limitedSharp(animation, { animated: true }).toBuffer()).rejects.toThrow(
      /exceeds pixel limit/,
    )
  })

  it('should keep the options it is given, a limit of the caller included', async () => {
    const image = await makePng(200, 200)
    await expect(limitedSharp(image, { limitInputPixels: 40_000 }).toBuffer()).resolves.toEqual(
      expect.any(Buffer),
    )
    const { width } = await limitedSharp(image, { limitInputPixels: false }).metadata()
    expect(width).toBe(200)
  })
})
