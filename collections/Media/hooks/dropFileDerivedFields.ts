import type { CollectionBeforeOperationHook } from 'payload'

/**
 * Fields Payload derives from the stored file, and the storage key prefix. A client may change
 * them only by sending a new file (or new crop or focal point), from which Payload derives them
 * again; written by hand they would describe a file that is not there.
 */
export const fileDerivedFields = [
  'filename',
  'mimeType',
  'filesize',
  'width',
  'height',
  'sizes',
  'url',
  'thumbnailURL',
  'prefix',
] as const

/**
 * Removes the file-derived fields from what an API client writes, before Payload generates file
 * data: with a new file they are derived from it, without one the stored values stay. Access-checked writes are the
 * clients' (REST and GraphQL never override access); server code with `overrideAccess` (the Local
 * API's default) keeps writing them, as Payload's own plugins do.
 */
export const dropFileDerivedFields: CollectionBeforeOperationHook = ({ args, operation }) => {
  const isClientWrite = (operation === 'create' || operation === 'update') && !args.overrideAccess
  if (!isClientWrite || !args.data || typeof args.data !== 'object') return args
  const data = { ...(args.data as Record<string, unknown>) }
  for (const field of fileDerivedFields) delete data[field]
  return { ...args, data }
}
