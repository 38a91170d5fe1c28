import crypto from 'node:crypto'

import { slugify } from './slugify'

/** Room for the random suffix, the extension and the size suffix Payload adds (`-1600x900`). */
const maxBaseLength = 60

/**
 * A storage filename for an upload: the original name reduced to a safe ASCII slug (no path
 * separators, control characters, dots or Unicode look-alikes), a random suffix so every upload gets
 * a name of its own — a URL then never changes meaning, which makes immutable caching honest — and
 * the extension of the format the bytes really are.
 */
export const toUniqueUploadFilename = (originalName: string, extension: string): string => {
  const withoutExtension = originalName.replace(/\.[^./\\]*$/, '')
  const baseName = withoutExtension.split(/[/\\]/).pop() ?? ''
  const base =
    slugify(baseName.normalize('NFKC')).slice(0, maxBaseLength).replace(/-+$/, '') || 'image'
  const suffix = crypto.randomBytes(5).toString('hex')
  return `${base}-${suffix}.${extension}`
}
