import sharp from 'sharp'

type PlaceholderImageArgs = {
  colors: [string, string]
  width: number
  height: number
  /** Varies the shapes so images in one category are told apart at a glance. */
  variant: number
}

/**
 * Draws a small abstract JPEG so the sample catalog needs no binary assets in the repository.
 * Shapes only: text would depend on the fonts installed on the machine.
 */
export const createPlaceholderImage = async ({
  colors: [from, to],
  width,
  height,
  variant,
}: PlaceholderImageArgs): Promise<Buffer> => {
  const radius = Math.round(Math.min(width, height) * (0.18 + 0.06 * (variant % 3)))
  const cx = Math.round(width * (0.3 + 0.2 * (variant % 3)))
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
  <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1">
    <stop offset="0" stop-color="${from}"/><stop offset="1" stop-color="${to}"/>
  </linearGradient></defs>
  <rect width="100%" height="100%" fill="url(#g)"/>
  <circle cx="${cx}" cy="${Math.round(height / 2)}" r="${radius}" fill="#ffffff" fill-opacity="0.35"/>
  <rect x="${Math.round(width * 0.62)}" y="${Math.round(height * 0.2)}" width="${Math.round(width * 0.22)}"
    height="${Math.round(height * 0.6)}" rx="24" fill="#000000" fill-opacity="0.12"/>
</svg>`
  return sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toBuffer()
}
