/**
 * Small pure helpers that our plugins, and the app beside them, share: building a config without
 * mutating it, checking values against PostgreSQL's column types, reading what a request asks. Nothing here reaches into
 * Payload's internals (that is `@catalog-cms/payload-internals`).
 */
export { appendHooks } from './appendHooks'
export { hasCredentials, sortFieldPaths } from './requests'
export { isNumberLike, isPlainObject, maxInt4, optionValues, toInt4 } from './values'
