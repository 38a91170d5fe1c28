/** Longest slug we generate or accept; long enough for real names, short enough for URLs. */
export const maxSlugLength = 96

const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/

/**
 * Turns a display name into a URL-safe slug: Unicode folded to ASCII where it has an ASCII form
 * ("Crème brûlée" → "creme-brulee"), everything else collapsed into single dashes.
 */
export const slugify = (input: string): string =>
  input
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, maxSlugLength)
    .replace(/^-+|-+$/g, '')

export const isValidSlug = (value: string): boolean =>
  value.length <= maxSlugLength && slugPattern.test(value)
