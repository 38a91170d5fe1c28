/**
 * Small pure helpers that our plugins, and the app beside them, share: building a config without
 * mutating it, and checking values against PostgreSQL's column types. Nothing here reaches into
 * Payload's internals (that is `@catalog-cms/payload-internals`).
 */
export { appendHooks } from './appendHooks'
export { isNumberLike, isPlainObject, maxInt4, optionValues, toInt4 } from './values'
