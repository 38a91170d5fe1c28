/**
 * Collection and global slugs are public API: REST paths, GraphQL names and frontends depend on
 * them. Import them from here instead of repeating string literals.
 */
export const collectionSlugs = {
  users: 'users',
  categories: 'categories',
  items: 'items',
  media: 'media',
} as const

export const globalSlugs = {
  siteSettings: 'site-settings',
} as const

export const userRoles = ['admin', 'editor'] as const
export type UserRole = (typeof userRoles)[number]
