/**
 * Payload finds admin components by path from the project root (its import map's `baseDir`):
 * this package lives at plugins/auditLog in it.
 */
const componentsDir = '/plugins/auditLog/components'

/** The import-map path of one of this folder's components, exported under its file's name. */
export const componentPath = (name: string) => `${componentsDir}/${name}#${name}`
