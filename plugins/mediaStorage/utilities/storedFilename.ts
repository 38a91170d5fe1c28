import { maxStoredFilenameLength } from '../defaults'

// Control characters, path separators: nothing a single stored name contains.
const unservableCharacters = /[\u0000-\u001f\u007f/\\]/

/**
 * The default check of a name asked for in the file route: one path segment, no hidden or
 * parent-directory names, no control characters, not longer than any stored name can be.
 */
export const isServableFilenameByDefault = (filename: string): boolean =>
  filename.length > 0 &&
  filename.length <= maxStoredFilenameLength &&
  !filename.startsWith('.') &&
  !unservableCharacters.test(filename)
