/** Where the enrolment view lives under the admin route. */
export const twoFactorViewPath = '/two-factor'

/**
 * Payload finds admin components by path from the project root (its import map's `baseDir`):
 * this package lives at plugins/twoFactor in it.
 */
const componentsDir = '/plugins/twoFactor/components'

/** The import-map path of one of this folder's components, exported under its file's name. */
export const componentPath = (name: string) => `${componentsDir}/${name}#${name}`
