/**
 * Where the catalog document is served, below the API prefix. Its own module so the HTTP server
 * can name the path without loading the catalog builder and the Payload config it pulls in.
 */
export const catalogPath = '/catalog'

/** The index of the per-category documents: the site block and one line per category. */
export const catalogCategoriesPath = `${catalogPath}/categories`

/** One category's document, by the category's slug, as a path pattern. */
export const catalogCategoryPath = `${catalogCategoriesPath}/:slug`

/** Every path the catalog is served at, for the HTTP server's route table. */
export const catalogPaths = [catalogPath, catalogCategoriesPath, catalogCategoryPath]
